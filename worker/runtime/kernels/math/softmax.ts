/**
 * Softmax and LogSoftmax. Before opset 13 the input is coerced to 2-D at `axis` (default 1) and
 * normalised over each row of the flattened trailing dimensions; from 13 on the op normalises
 * along the single `axis` (default -1). Both subtract the maximum first, so large inputs do not
 * overflow. Softmax of float32 rows along the last axis takes one tight pass in float32 arithmetic
 * (as onnxruntime's MLAS kernel), in WebAssembly SIMD when installed; LogSoftmax, other layouts
 * and float64 take the general strided loop in double precision (its Math.exp is faster in
 * JavaScript than a float32-exact exp).
 */
import type { Kernel } from '../../kernel';
import { kernel, required } from '../../kernel';
import { sizeBetween, sizeOf } from '../../tensor';
import { softmaxIntoF32 } from './float32-activations';
import { FLOATS } from '../common/dtypes';
import { expectDType } from '../common/inputs';
import { normalizeAxis } from '../common/axes';
import type { Floats } from '../common/tensor-types';

interface SoftmaxAttrs {
  readonly axis: number;
  readonly coerce2d: boolean;
}


/** The row geometry: `outer` blocks of `len` x `inner`, normalised along len (stride inner). */
interface SoftmaxPlan {
  readonly shape: readonly number[];
  readonly outer: number;
  readonly len: number;
  readonly inner: number;
}

function softmaxOp(op: string, log: boolean): Kernel<SoftmaxAttrs, SoftmaxPlan> {
  return kernel<SoftmaxAttrs, SoftmaxPlan>({
    op,
    attributes: (r, opset) => ({ axis: r.int('axis', opset < 13 ? 1 : -1), coerce2d: opset < 13 }),
    plan(inputs, { axis, coerce2d }, ctx) {
      const x = required(inputs, 0, ctx);
      expectDType(ctx, x, FLOATS, 'input');
      const shape = x.shape.slice();
      if (sizeOf(shape) === 0) return { shape, outer: 0, len: 0, inner: 0 };
      const a = normalizeAxis(axis, shape.length, ctx, 'axis', true);
      return {
        shape,
        outer: sizeBetween(shape, 0, a),
        len: coerce2d ? sizeBetween(shape, a) : shape.length === 0 ? 1 : shape[a],
        inner: coerce2d ? 1 : sizeBetween(shape, a + 1),
      };
    },
    outputs: (plan, inputs) => (inputs[0] === undefined ? undefined : [{ dtype: inputs[0].dtype, shape: plan.shape }]),
    run(inputs, _attrs, ctx, { shape, outer, len, inner }) {
      const x = inputs[0]!;
      const out = ctx.output(0, x.dtype, shape);
      const src = x.data as Floats;
      const dst = out.data as Floats;
      if (!log && inner === 1 && src instanceof Float32Array && dst instanceof Float32Array) {
        // contiguous rows (the last axis): the float32 pass, in WebAssembly SIMD when installed
        softmaxIntoF32(src, dst, outer, len);
        return out;
      }
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) normalize(src, dst, o * len * inner + i, len, inner, log);
      }
      return out;
    },
  });
}

/** Normalises the `len` elements at base, base + step, ... */
function normalize(x: Floats, y: Floats, base: number, len: number, step: number, log: boolean): void {
  const end = base + len * step;
  let max = -Infinity;
  for (let j = base; j < end; j += step) if (x[j] > max) max = x[j];
  let sum = 0;
  if (log) {
    for (let j = base; j < end; j += step) sum += Math.exp(x[j] - max);
    const shift = max + Math.log(sum);
    for (let j = base; j < end; j += step) y[j] = x[j] - shift;
  } else {
    for (let j = base; j < end; j += step) {
      const e = Math.exp(x[j] - max);
      y[j] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = base; j < end; j += step) y[j] *= inv;
  }
}

export const softmaxKernel = softmaxOp('Softmax', false);
export const logSoftmaxKernel = softmaxOp('LogSoftmax', true);
