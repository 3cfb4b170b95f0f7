/**
 * A compiler fusion against the graph it replaces: the compiled model's nodes, and every output of
 * the compiled model beside the imported graph run node by node (unfused), compared bit for bit.
 */
import { compileModel, importOnnx } from '../../lib/model-compiler';
import { readArtifact } from '../../worker/runtime/artifact';
import type { Node } from '../../worker/runtime/graph';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { InferenceSession } from '../../worker/runtime/session';
import type { Tensor } from '../../worker/runtime/tensor';

export function compiledNodes(bytes: Uint8Array): Node[] {
  return [...readArtifact(compileModel(bytes).artifact).graph.nodes];
}

/** Every output of the compiled model and of the imported graph run node by node, unfused. */
export function fusedAndSeparate(bytes: Uint8Array, x: Record<string, Tensor>): { fused: Record<string, Tensor>; separate: Record<string, Tensor> } {
  const fused = InferenceSession.create(readArtifact(compileModel(bytes).artifact), { kernels: allKernels }).run(x);
  const separate = InferenceSession.create(importOnnx(bytes), { kernels: allKernels }).run(x);
  return { fused, separate };
}

export function expectBitwise(a: Tensor | undefined, b: Tensor | undefined): void {
  expect(a?.shape).toEqual(b?.shape);
  expect(Array.from(a!.data as ArrayLike<number | bigint>)).toEqual(Array.from(b!.data as ArrayLike<number | bigint>));
}
