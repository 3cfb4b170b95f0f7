/**
 * Clip: y = min(max(x, min), max), so min > max yields max everywhere (as numpy and
 * onnxruntime do). Bounds are attributes before opset 11 and optional scalar inputs from 11 on.
 */
import type { KernelContext } from '../../kernel';
import { kernel, kernelFail, required } from '../../kernel';
import type { Tensor } from '../../tensor';
import { isBigIntDType } from '../../tensor';
import { NUMERIC } from '../common/dtypes';
import { expectDType } from '../common/inputs';
import { shapeText } from '../common/shape-text';

interface ClipAttrs {
  /** bounds from attributes (opset < 11); undefined from opset 11 on */
  readonly min?: number;
  readonly max?: number;
}

export const clipKernel = kernel<ClipAttrs>({
  op: 'Clip',
  attributes: (r, opset) => (opset < 11 ? { min: r.float('min', -Infinity), max: r.float('max', Infinity) } : {}),
  run(inputs, attrs, ctx) {
    const x = required(inputs, 0, ctx);
    expectDType(ctx, x, NUMERIC, 'input X');
    const out = ctx.output(0, x.dtype, x.shape);
    const n = x.size;
    if (isBigIntDType(x.dtype)) {
      const lo = bound(ctx, x, inputs[1], 'min');
      const hi = bound(ctx, x, inputs[2], 'max');
      const src = x.data as BigInt64Array;
      const dst = out.data as BigInt64Array;
      for (let i = 0; i < n; i++) {
        let v = src[i];
        if (lo !== undefined && v < lo) v = lo as bigint;
        if (hi !== undefined && v > hi) v = hi as bigint;
        dst[i] = v;
      }
      return out;
    }
    const lo = (attrs.min ?? bound(ctx, x, inputs[1], 'min') ?? -Infinity) as number;
    const hi = (attrs.max ?? bound(ctx, x, inputs[2], 'max') ?? Infinity) as number;
    const src = x.data as Float32Array;
    const dst = out.data as Float32Array;
    for (let i = 0; i < n; i++) {
      const v = src[i];
      // NaN passes through unchanged, as in onnxruntime
      dst[i] = v < lo ? (lo > hi ? hi : lo) : v > hi ? hi : v;
    }
    return out;
  },
});

function bound(ctx: KernelContext, x: Tensor, t: Tensor | undefined, name: string): number | bigint | undefined {
  if (!t) return undefined;
  if (t.dtype !== x.dtype) kernelFail(ctx, `input ${name} has dtype ${t.dtype} but X has ${x.dtype}; they must match`);
  if (t.size !== 1) kernelFail(ctx, `input ${name} must be a scalar, got shape ${shapeText(t.shape)}`);
  return t.data[0] as number | bigint;
}
