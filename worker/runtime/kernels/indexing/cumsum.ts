/**
 * CumSum and CumProd (opset 26): running sums / products along the axis given by the second
 * input (a scalar, possibly negative), optionally exclusive (each result leaves out its own
 * element) and/or reversed (running from the end). Each step combines with the previous output
 * element, so the result rounds (and integers wrap) in the output's type as onnxruntime's does.
 * The plan holds the axis when it is a weight and the running operation of the dtype.
 */
import type { Kernel, PlanContext } from '../../kernel';
import { kernel, kernelFail, required } from '../../kernel';
import type { DType, Tensor } from '../../tensor';
import { sizeBetween, sizeOf } from '../../tensor';
import { singleOutput } from '../common/planned-output';
import { readInts, zeroOf } from '../tensor/common';
import { elements } from './common';
import { normalizeAxis } from '../common/axes';

interface CumulativeAttributes {
  readonly exclusive: boolean;
  readonly reverse: boolean;
}

type Combine = (a: number, b: number) => number;

/** The running operation for one dtype, and its identity (the first exclusive result). */
interface Running {
  readonly combine: Combine;
  readonly identity: (x: Tensor) => number;
}

interface CumulativePlan {
  readonly dtype: DType;
  readonly outShape: readonly number[];
  /** the axis when it is a weight; null when read every run */
  readonly axis: number | null;
  readonly running: Running;
}

function cumulativeKernel(op: string, running: (dtype: DType) => Running): Kernel<CumulativeAttributes, CumulativePlan> {
  return kernel<CumulativeAttributes, CumulativePlan>({
    op,
    attributes: (a) => ({ exclusive: a.int('exclusive', 0) !== 0, reverse: a.int('reverse', 0) !== 0 }),
    plan(inputs, _attrs, ctx) {
      const x = required(inputs, 0, ctx);
      const axisInput = required(inputs, 1, ctx);
      if (x.dtype === 'string' || x.dtype === 'bool') kernelFail(ctx, `input must be numeric, got ${x.dtype}`);
      if (x.shape.length === 0) kernelFail(ctx, 'input must have rank >= 1, got a scalar');
      if (sizeOf(axisInput.shape) !== 1 || axisInput.shape.length > 1) kernelFail(ctx, `axis must be a scalar, got shape [${axisInput.shape.join(', ')}]`);
      const axis = axisInput.value ? axisOf(axisInput.value, x.shape.length, ctx) : null;
      return { dtype: x.dtype, outShape: x.shape, axis, running: running(x.dtype) };
    },
    outputs: singleOutput,
    run(inputs, { exclusive, reverse }, ctx, plan) {
      const x = inputs[0]!;
      const axis = plan.axis ?? axisOf(inputs[1]!, x.rank, ctx);
      const out = ctx.output(0, plan.dtype, plan.outShape);
      const len = x.shape[axis];
      const inner = sizeBetween(x.shape, axis + 1);
      const outer = sizeBetween(x.shape, 0, axis);
      const s = elements(x.data);
      const d = elements(out.data);
      const { combine, identity } = plan.running;
      const first = identity(x);
      const step = reverse ? -inner : inner;
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          let p = o * len * inner + i + (reverse ? (len - 1) * inner : 0);
          if (len === 0) continue;
          d[p] = exclusive ? first : s[p];
          for (let j = 1; j < len; j++, p += step) d[p + step] = combine(d[p], s[exclusive ? p : p + step]);
        }
      }
      return out;
    },
  });
}

function axisOf(axisInput: Tensor, rank: number, ctx: Pick<PlanContext, 'node'>): number {
  return normalizeAxis(readInts(axisInput, ctx, 'axis')[0], rank, ctx);
}

const add: Combine = (a, b) => a + b;
const multiply: Combine = (a, b) => a * b;
/** 32-bit integer products wrap exactly (a double product would lose the low bits first). */
const multiply32: Combine = (a, b) => Math.imul(a, b);

export const cumSumKernel = cumulativeKernel('CumSum', () => ({ combine: add, identity: (x) => zeroOf(x) as number }));

export const cumProdKernel = cumulativeKernel('CumProd', (dtype) => ({
  combine: dtype === 'int32' || dtype === 'uint32' ? multiply32 : multiply,
  identity: (x) => (x.dtype === 'int64' || x.dtype === 'uint64' ? (1n as unknown as number) : 1),
}));
