/**
 * The factory behind the broadcasting binary ops (arithmetic, comparison, logic).
 */
import type { Kernel, KernelContext, OutputSignature, PlanInput } from '../../kernel';
import { kernel, kernelFail, required } from '../../kernel';
import type { AttributeReader } from '../../kernel';
import type { DType } from '../../tensor';
import { sameShape } from '../../tensor';
import { broadcastShapes } from '../common/broadcast';
import type { AnyArray, Arith, BinaryFn } from './binary-loop';
import { arithmeticInto, binaryInto } from './binary-loop';
import { arithmeticWasm } from './binary-wasm';
import { planRows, type RowPlan } from './row-plan';
import { expectDType, expectSameDType } from '../common/inputs';
import { shapeText } from '../common/shape-text';

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

/** A broadcasting binary op's plan: the output's dtype and shape, the row walk, the scalar function. */
export interface BinaryPlan {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly rows: RowPlan;
  /** null when the specialised float loops run */
  readonly fn: BinaryFn | null;
}

export function binaryKernel<A = undefined>(op: string, spec: BinarySpec<A>): Kernel<A, BinaryPlan> {
  return kernel<A, BinaryPlan>({
    op,
    attributes: spec.attributes,
    plan(inputs, attrs, ctx) {
      const a = required(inputs, 0, ctx);
      const b = required(inputs, 1, ctx);
      expectDType(ctx, a, spec.dtypes, 'input A');
      if (a.dtype !== b.dtype) expectSameDType(ctx, [a, b]);
      const dtype = spec.output === 'bool' ? 'bool' : a.dtype;
      const shape = broadcastShape(ctx, a, b);
      const fast = spec.fast !== undefined && (dtype === 'float32' || dtype === 'float64');
      return { dtype, shape, rows: planRows([a.shape, b.shape], shape), fn: fast ? null : spec.fn(a.dtype, attrs) };
    },
    outputs: binaryOutput,
    run(inputs, _attrs, ctx, plan) {
      const a = inputs[0]!;
      const b = inputs[1]!;
      const out = ctx.output(0, plan.dtype, plan.shape);
      if (plan.fn === null) {
        const { rows } = plan;
        // same shapes, no broadcast: one contiguous row, which large float32 tensors run in WebAssembly
        const whole = rows.rows === 1 && rows.innerStrides[0] === 1 && rows.innerStrides[1] === 1 && out.data instanceof Float32Array;
        if (!(whole && arithmeticWasm(spec.fast!, out.data as Float32Array, a.data as Float32Array, b.data as Float32Array, rows.inner))) {
          arithmeticInto(spec.fast!, out.data as Float32Array, a.data as Float32Array, b.data as Float32Array, rows);
        }
      }
      else binaryInto(out.data as AnyArray, a.data as AnyArray, b.data as AnyArray, plan.rows, plan.fn);
      return out;
    },
  });
}

/** The one output a binary plan states (for the compiler's probes). */
export function binaryOutput(plan: BinaryPlan): readonly OutputSignature[] {
  return [{ dtype: plan.dtype, shape: plan.shape }];
}

/** The multidirectional broadcast of two inputs' shapes, or a KernelError naming both. */
export function broadcastShape(ctx: Pick<KernelContext, 'node'>, a: Pick<PlanInput, 'shape'>, b: Pick<PlanInput, 'shape'>): number[] {
  if (sameShape(a.shape, b.shape)) return a.shape.slice();
  const shape = broadcastShapes(a.shape, b.shape);
  if (!shape) {
    kernelFail(ctx, `cannot broadcast shapes ${shapeText(a.shape)} and ${shapeText(b.shape)}; each dimension must match or be 1`);
  }
  return shape;
}
