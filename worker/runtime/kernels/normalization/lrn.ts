/**
 * LRN (local response normalization across channels):
 *   y = x / (bias + alpha / size * sum_{c' in window(c)} x[c']^2) ^ beta
 * where the window spans channels c - floor((size-1)/2) .. c + ceil((size-1)/2), clipped to [0, C).
 */
import { kernel, kernelFail } from '../../kernel';
import { sizeOf } from '../../tensor';
import { floatInput } from '../common/inputs';
import { shapeText } from '../common/shape-text';
import type { FloatTensor } from '../common/tensor-types';

export interface LrnAttributes {
  readonly alpha: number;
  readonly beta: number;
  readonly bias: number;
  readonly size: number;
}

export const lrnKernel = kernel<LrnAttributes>({
  op: 'LRN',
  attributes(attrs) {
    const size = attrs.int('size');
    if (size < 1) attrs.fail(`attribute "size" must be a positive integer, got ${size}`);
    return {
      alpha: attrs.float('alpha', 1e-4),
      beta: attrs.float('beta', 0.75),
      bias: attrs.float('bias', 1.0),
      size,
    };
  },
  run(inputs, attrs, ctx) {
    const x = floatInput(inputs, 0, 'X', ctx);
    if (x.rank < 3) kernelFail(ctx, `input X must have rank >= 3 ([N, C, D1, ...]), got ${shapeText(x.shape)}`);
    const [batch, channels] = x.shape;
    const inner = sizeOf(x.shape.slice(2));
    const y = ctx.output(0, x.dtype, x.shape) as FloatTensor;
    const xd = x.data;
    const yd = y.data;
    const below = Math.floor((attrs.size - 1) / 2);
    const above = Math.ceil((attrs.size - 1) / 2);
    const coef = attrs.alpha / attrs.size;
    for (let n = 0; n < batch; n++) {
      const sampleBase = n * channels * inner;
      for (let c = 0; c < channels; c++) {
        const lo = Math.max(0, c - below);
        const hi = Math.min(channels - 1, c + above);
        const base = sampleBase + c * inner;
        for (let i = 0; i < inner; i++) {
          let sq = 0;
          for (let k = lo; k <= hi; k++) {
            const v = xd[sampleBase + k * inner + i];
            sq += v * v;
          }
          yd[base + i] = xd[base + i] / Math.pow(attrs.bias + coef * sq, attrs.beta);
        }
      }
    }
    return y;
  },
});
