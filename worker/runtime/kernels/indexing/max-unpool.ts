/**
 * MaxUnpool: the partial inverse of MaxPool. The output (zeros) receives each input value at the
 * flat position MaxPool's Indices output recorded for it (an index into the whole output tensor,
 * N and C included). The output's spatial size is (in - 1) * stride - pad_begin - pad_end +
 * kernel per axis, unless the optional output_shape input gives it explicitly.
 */
import { kernel, kernelFail, required } from '../../kernel';
import { sameShape, sizeOf } from '../../tensor';
import { fillRange, readInts, zeroOf } from '../tensor/common';
import { elements, indexData, positionText } from './common';
import { shapeText } from '../common/shape-text';

interface MaxUnpoolAttributes {
  readonly kernelShape: readonly number[];
  readonly strides: readonly number[] | null;
  readonly pads: readonly number[] | null;
}

export const maxUnpoolKernel = kernel<MaxUnpoolAttributes>({
  op: 'MaxUnpool',
  attributes: (a) => {
    const kernelShape = a.ints('kernel_shape');
    const strides = a.ints('strides', null);
    const pads = a.ints('pads', null);
    const n = kernelShape.length;
    if (kernelShape.some((k) => k < 1)) a.fail(`kernel_shape [${kernelShape.join(', ')}] must be positive`);
    if (strides && (strides.length !== n || strides.some((s) => s < 1))) a.fail(`strides [${strides.join(', ')}] must be ${n} positive values`);
    if (pads && (pads.length !== 2 * n || pads.some((p) => p < 0))) a.fail(`pads [${pads.join(', ')}] must be ${2 * n} non-negative values (begins then ends)`);
    return { kernelShape, strides, pads };
  },
  run(inputs, { kernelShape, strides, pads }, ctx) {
    const x = required(inputs, 0, ctx);
    const indices = required(inputs, 1, ctx);
    const shapeInput = inputs[2];
    const spatial = kernelShape.length;
    if (x.rank !== spatial + 2) kernelFail(ctx, `input ${shapeText(x.shape)} must be [N, C, ...] with ${spatial} spatial axes (kernel_shape has ${spatial})`);
    if (!sameShape(indices.shape, x.shape)) kernelFail(ctx, `indices ${shapeText(indices.shape)} must have the input's shape ${shapeText(x.shape)}`);
    let outShape = [x.shape[0], x.shape[1]];
    for (let i = 0; i < spatial; i++) {
      const stride = strides ? strides[i] : 1;
      const pad = pads ? pads[i] + pads[i + spatial] : 0;
      outShape.push((x.shape[i + 2] - 1) * stride - pad + kernelShape[i]);
    }
    if (shapeInput && shapeInput.size > 0) {
      const given = readInts(shapeInput, ctx, 'output_shape');
      if (given.length !== x.rank) kernelFail(ctx, `output_shape [${given.join(', ')}] must have ${x.rank} values`);
      if (given[0] !== x.shape[0] || given[1] !== x.shape[1] || given.some((d, i) => i >= 2 && d < outShape[i])) {
        kernelFail(ctx, `output_shape [${given.join(', ')}] must keep N and C and be at least ${shapeText(outShape)}`);
      }
      outShape = given;
    }
    const out = ctx.output(0, x.dtype, outShape);
    fillRange(out.data, zeroOf(x), 0, out.size);
    const total = sizeOf(outShape);
    const idx = indexData(indices, ctx, 'indices');
    const s = elements(x.data);
    const d = elements(out.data);
    for (let i = 0; i < idx.length; i++) {
      const at = Number(idx[i]);
      if (!(at >= 0 && at < total)) kernelFail(ctx, `indices${positionText(i, indices.shape)} = ${at} is out of range for an output of ${total} elements ${shapeText(outShape)} (expected 0..${total - 1})`);
      d[at] = s[i];
    }
    return out;
  },
});
