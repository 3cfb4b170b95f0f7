/**
 * The usual way a one-output kernel states its output from its plan (`Kernel.outputs`): the plan
 * holds the output's dtype and shape, the shape null when it depends on input values the plan did
 * not see (a shape input that is not a weight).
 */
import type { OutputSignature, PlanInput } from '../../kernel';
import type { DType } from '../../tensor';

export interface SingleOutputPlan {
  readonly dtype: DType;
  readonly outShape: readonly number[] | null;
}

export function singleOutput(plan: SingleOutputPlan): readonly OutputSignature[] | undefined {
  return plan.outShape === null ? undefined : [{ dtype: plan.dtype, shape: plan.outShape }];
}

/** One output of input 0's dtype and the plan's `outShape` (MatMul, Gemm, Conv, ConvTranspose). */
export function outputLikeFirstInput(plan: { readonly outShape: readonly number[] }, inputs: ReadonlyArray<PlanInput | undefined>): readonly OutputSignature[] | undefined {
  return inputs[0] === undefined ? undefined : [{ dtype: inputs[0].dtype, shape: plan.outShape }];
}
