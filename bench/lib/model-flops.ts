/**
 * The arithmetic of one inference: 2 x the multiply-adds of the GEMM-shaped ops (MatMul, Gemm,
 * FusedMatMul, Conv), counted from the shapes each node sees when our session runs the model once.
 */
import { compileModel } from '../../lib/model-compiler';
import { readArtifact } from '../../worker/runtime/artifact';
import type { RunMeter } from '../../worker/runtime/run-meter';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import type { Tensor } from '../../worker/runtime/tensor';

/** 2 x multiply-adds of one GEMM-shaped node from its inputs and outputs; 0 for other ops. */
export function multiplyAddFlops(op: string, inputs: ReadonlyArray<Tensor | undefined>, outputs: readonly Tensor[]): number {
  const out = outputs[0]?.data.length ?? 0;
  const w = inputs[1];
  if (!w) return 0;
  if (op === 'Conv' || op === 'FusedConv') return 2 * out * (w.data.length / w.shape[0]);
  if (op === 'MatMul' || op === 'FusedMatMul') return 2 * out * inputs[0]!.shape[inputs[0]!.shape.length - 1];
  if (op === 'Gemm') return 2 * out * (w.data.length / out) * (outputs[0]!.shape[0] ?? 1);
  return 0;
}

/** FLOPs of one inference of `onnx` on `feeds` (GEMM-shaped ops only). */
export function modelFlops(onnx: Uint8Array, feeds: Record<string, Tensor>): number {
  let flops = 0;
  const meter: RunMeter = {
    beforeNode() {},
    afterNode(node, inputs, outputs) {
      flops += multiplyAddFlops(node.op, inputs, outputs);
    },
    allocate() {},
    allocated() {},
    enterSubgraph() {},
    leaveSubgraph() {},
  };
  InferenceSession.create(readArtifact(compileModel(onnx).artifact), { kernels: allKernels, meter }).run(feeds);
  return flops;
}
