/**
 * The factory behind the broadcasting binary ops (arithmetic, comparison, logic).
 */
import type { Kernel, KernelContext } from '../../kernel';
import { kernel, kernelFail, required } from '../../kernel';
import type { AttributeReader } from '../../kernel';
import type { DType, Tensor } from '../../tensor';
import { sameShape } from '../../tensor';
import { broadcastShapes } from '../broadcast';
import type { AnyArray, Arith, BinaryFn } from './binary-loop';
import { arithmeticInto, binaryInto } from './binary-loop';
import { expectDType, expectSameDType, formatShape } from './dtypes';
import { planRows } from './row-plan';

export interface BinarySpec<A> {
  /** accepted dtypes of the inputs, which must match each other */
  readonly dtypes: readonly DType[];
  /** 'bool' for comparisons; otherwise the output has the inputs' dtype */
  readonly output?: 'same' | 'bool';
  /** the scalar function for a dtype (bigint values for int64/uint64) */
  readonly fn: (dtype: DType, attrs: A) => BinaryFn;
  /** set for Add/Sub/Mul/Div: float data then takes the specialised loops */
  readonly fast?: Arith;
  readonly attributes?: (reader: AttributeReader, opset: number) => A;
}

export function binaryKernel<A = undefined>(op: string, spec: BinarySpec<A>): Kernel<A> {
  return kernel<A>({
    op,
    attributes: spec.attributes,
    run(inputs, attrs, ctx) {
      const a = required(inputs, 0, ctx);
      const b = required(inputs, 1, ctx);
      expectDType(ctx, a, spec.dtypes, 'input A');
      if (a.dtype !== b.dtype) expectSameDType(ctx, [a, b]);
      const outDType = spec.output === 'bool' ? 'bool' : a.dtype;
      const shape = broadcastShape(ctx, a, b);
      const out = ctx.output(0, outDType, shape);
      const plan = planRows([a.shape, b.shape], shape);
      if (spec.fast !== undefined && (outDType === 'float32' || outDType === 'float64')) {
        arithmeticInto(spec.fast, out.data as Float32Array, a.data as Float32Array, b.data as Float32Array, plan);
      } else {
        binaryInto(out.data as AnyArray, a.data as AnyArray, b.data as AnyArray, plan, spec.fn(a.dtype, attrs));
      }
      return out;
    },
  });
}

/** The multidirectional broadcast of two inputs' shapes, or a KernelError naming both. */
export function broadcastShape(ctx: Pick<KernelContext, 'node'>, a: Tensor, b: Tensor): number[] {
  if (sameShape(a.shape, b.shape)) return a.shape.slice();
  const shape = broadcastShapes(a.shape, b.shape);
  if (!shape) {
    kernelFail(ctx, `cannot broadcast shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}; each dimension must match or be 1`);
  }
  return shape;
}
