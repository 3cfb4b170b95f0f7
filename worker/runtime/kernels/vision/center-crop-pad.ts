/**
 * CenterCropPad (opset 18): crops or zero-pads the chosen axes to `shape`, keeping the centre.
 * Cropping drops floor((in - out) / 2) leading elements; padding puts floor((out - in) / 2)
 * zeros (or empty strings) first. Works for any element type.
 */
import { kernel, kernelFail } from '../../kernel';
import { sizeOf, stridesOf } from '../../tensor';
import { copyRange, fillRange, zeroOf } from '../tensor/common';
import { intListInput } from './inputs';
import { normalizeAxes } from '../common/axes';
import { shapeText } from '../common/shape-text';

export interface CenterCropPadAttributes {
  readonly axes: readonly number[] | null;
}

export const centerCropPadKernel = kernel<CenterCropPadAttributes>({
  op: 'CenterCropPad',
  attributes(attrs) {
    return { axes: attrs.ints('axes', null) };
  },
  run(inputs, attrs, ctx) {
    const x = inputs[0];
    if (!x) kernelFail(ctx, 'input input_data (#0) is required');
    const sizes = intListInput(inputs, 1, 'shape', ctx);
    const rank = x.shape.length;
    const axes = attrs.axes ? normalizeAxes(attrs.axes, rank, ctx) : Array.from({ length: rank }, (_, i) => i);
    if (sizes.length !== axes.length) {
      kernelFail(ctx, `input shape has ${sizes.length} value(s) but ${axes.length} axes are cropped/padded (input ${shapeText(x.shape)})`);
    }
    if (sizes.some((s) => s < 0)) kernelFail(ctx, `input shape [${sizes.join(', ')}] must not be negative`);
    const outShape = x.shape.slice();
    axes.forEach((a, i) => (outShape[a] = sizes[i]));
    const y = ctx.output(0, x.dtype, outShape);
    fillRange(y.data, zeroOf(x), 0, y.data.length);
    // per axis: the copied length and where it starts in the input and output
    const len = x.shape.map((d, a) => Math.min(d, outShape[a]));
    const inStart = x.shape.map((d, a) => (d > outShape[a] ? Math.floor((d - outShape[a]) / 2) : 0));
    const outStart = x.shape.map((d, a) => (outShape[a] > d ? Math.floor((outShape[a] - d) / 2) : 0));
    if (sizeOf(len) === 0) return y;
    const xs = stridesOf(x.shape);
    const ys = stridesOf(outShape);
    const rows = rank === 0 ? 1 : sizeOf(len.slice(0, -1));
    const rowLen = rank === 0 ? 1 : len[rank - 1];
    const pos = new Array<number>(Math.max(rank - 1, 0)).fill(0);
    for (let r = 0; r < rows; r++) {
      let src = 0;
      let dst = 0;
      for (let a = 0; a < rank; a++) {
        const p = a < rank - 1 ? pos[a] : 0;
        src += (inStart[a] + p) * xs[a];
        dst += (outStart[a] + p) * ys[a];
      }
      copyRange(x.data, src, y.data, dst, rowLen);
      for (let a = rank - 2; a >= 0; a--) {
        if (++pos[a] < len[a]) break;
        pos[a] = 0;
      }
    }
    return y;
  },
});
