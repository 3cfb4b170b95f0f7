/**
 * Col2Im (opset 18): folds columns [N, C * prod(block_shape), L] back into an image
 * [N, C, ...image_shape], summing overlapping patches (the inverse layout of im2col).
 * L must equal the number of block positions the image, pads, strides and dilations allow.
 */
import { kernel, kernelFail } from '../../kernel';
import { sizeOf, stridesOf } from '../../tensor';
import { intListInput } from './inputs';
import { floatInput } from '../common/inputs';
import { shapeText } from '../common/shape-text';

export interface Col2ImAttributes {
  readonly dilations: readonly number[] | null;
  readonly pads: readonly number[] | null;
  readonly strides: readonly number[] | null;
}

export const col2ImKernel = kernel<Col2ImAttributes>({
  op: 'Col2Im',
  attributes(attrs) {
    const dilations = attrs.ints('dilations', null);
    const pads = attrs.ints('pads', null);
    const strides = attrs.ints('strides', null);
    if (dilations?.some((d) => d < 1)) attrs.fail(`dilations [${dilations.join(', ')}] must be positive`);
    if (strides?.some((s) => s < 1)) attrs.fail(`strides [${strides.join(', ')}] must be positive`);
    if (pads?.some((p) => p < 0)) attrs.fail(`pads [${pads.join(', ')}] must not be negative`);
    if (pads && pads.length % 2 !== 0) attrs.fail(`pads has ${pads.length} values; it needs a begin and an end per spatial axis`);
    return { dilations, pads, strides };
  },
  run(inputs, attrs, ctx) {
    const x = floatInput(inputs, 0, 'input', ctx);
    const image = intListInput(inputs, 1, 'image_shape', ctx);
    const block = intListInput(inputs, 2, 'block_shape', ctx);
    const k = image.length;
    if (block.length !== k) kernelFail(ctx, `image_shape has ${k} values but block_shape has ${block.length}; they must match`);
    if (image.some((d) => d < 1) || block.some((d) => d < 1)) kernelFail(ctx, `image_shape [${image.join(', ')}] and block_shape [${block.join(', ')}] must be positive`);
    const dil = attrs.dilations ?? new Array<number>(k).fill(1);
    const str = attrs.strides ?? new Array<number>(k).fill(1);
    const pads = attrs.pads ?? new Array<number>(2 * k).fill(0);
    if (dil.length !== k || str.length !== k || pads.length !== 2 * k) {
      kernelFail(ctx, `dilations, strides and pads must describe ${k} spatial axes (image_shape [${image.join(', ')}])`);
    }
    const blocks = image.map((d, a) => Math.floor((d + pads[a] + pads[a + k] - ((block[a] - 1) * dil[a] + 1)) / str[a]) + 1);
    if (blocks.some((b) => b < 1)) kernelFail(ctx, `block_shape [${block.join(', ')}] does not fit image_shape [${image.join(', ')}] with the given pads and dilations`);
    const kernelSize = sizeOf(block);
    const l = sizeOf(blocks);
    if (x.shape.length !== 3 || x.shape[1] % kernelSize !== 0 || x.shape[2] !== l) {
      kernelFail(ctx, `input must be [N, C*${kernelSize}, ${l}] for image_shape [${image.join(', ')}] and block_shape [${block.join(', ')}], got ${shapeText(x.shape)}`);
    }
    const [n, ck] = x.shape;
    const c = ck / kernelSize;
    const y = ctx.output(0, x.dtype, [n, c, ...image]);
    const yd = y.data;
    yd.fill(0);
    const xd = x.data;
    const plane = sizeOf(image);
    const imgStrides = stridesOf(image);
    const kPos = new Int32Array(k);
    const bPos = new Int32Array(k);
    for (let b = 0; b < n; b++) {
      for (let ch = 0; ch < c; ch++) {
        const outBase = (b * c + ch) * plane;
        kPos.fill(0);
        for (let kk = 0; kk < kernelSize; kk++) {
          const row = ((b * c + ch) * kernelSize + kk) * l;
          bPos.fill(0);
          for (let li = 0; li < l; li++) {
            let off = 0;
            for (let a = 0; a < k; a++) {
              const p = bPos[a] * str[a] - pads[a] + kPos[a] * dil[a];
              if (p < 0 || p >= image[a]) {
                off = -1;
                break;
              }
              off += p * imgStrides[a];
            }
            if (off >= 0) yd[outBase + off] += xd[row + li];
            for (let a = k - 1; a >= 0; a--) {
              if (++bPos[a] < blocks[a]) break;
              bPos[a] = 0;
            }
          }
          for (let a = k - 1; a >= 0; a--) {
            if (++kPos[a] < block[a]) break;
            kPos[a] = 0;
          }
        }
      }
    }
    return y;
  },
});
