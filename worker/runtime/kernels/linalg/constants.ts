/**
 * Tensors that never change during a session's life: the graph's initializers (weights).
 * Kernels cache derived layouts of these (packed GEMM panels in wasm memory, transposed copies),
 * keyed by the Tensor object. A tensor not marked here is treated as an activation and re-read on
 * every call, which is always correct, only slower.
 *
 * The session marks initializers once at load: `markConstantTensors(graph.initializers.values())`.
 */
import type { Tensor } from '../../tensor';

const constants = new WeakSet<Tensor>();

export function markConstantTensors(tensors: Iterable<Tensor>): void {
  for (const t of tensors) constants.add(t);
}

export function isConstantTensor(t: Tensor): boolean {
  return constants.has(t);
}

/** The cache key to pass as GemmOptions.constantB for `t`: the tensor itself when constant. */
export function constantKey(t: Tensor): Tensor | null {
  return constants.has(t) ? t : null;
}
