/**
 * The output dtypes and shapes a node's plan states, for the compiler's output-shape and
 * working-set probes (which then skip the kernel's arithmetic). A kernel states them through
 * `Kernel.outputs`. The records listed in SINGLE_OUTPUT_SHAPE plan the shape of their one output
 * as `outShape`, and that output has input 0's dtype; they are read here until their records
 * state `outputs` themselves.
 */
import type { AnyKernel, OutputSignature, PlanInput } from './kernel';
import { convTransposeKernel } from './kernels/conv/conv-transpose';
import { convKernel } from './kernels/conv/conv';
import { gemmKernel } from './kernels/linalg/gemm-op';
import { matMulKernel } from './kernels/linalg/matmul';

const SINGLE_OUTPUT_SHAPE: ReadonlySet<AnyKernel> = new Set<AnyKernel>([matMulKernel, gemmKernel, convKernel, convTransposeKernel]);

/** The outputs `plan` states for these inputs, or undefined when the kernel must run to know. */
export function plannedOutputs(kernel: AnyKernel, plan: unknown, inputs: ReadonlyArray<PlanInput | undefined>, attrs: unknown): readonly OutputSignature[] | undefined {
  if (kernel.outputs !== undefined) return kernel.outputs(plan, inputs, attrs);
  if (SINGLE_OUTPUT_SHAPE.has(kernel) && inputs[0] !== undefined) return [{ dtype: inputs[0].dtype, shape: (plan as { outShape: readonly number[] }).outShape }];
  return undefined;
}
