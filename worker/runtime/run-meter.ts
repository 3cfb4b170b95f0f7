/**
 * An optional observer of a session's work. The compiler runs models at build time (constant
 * folding, the output-shape probe) and passes a meter that charges every node run, subgraph run
 * and buffer allocation against one budget, so that nested Loop bodies multiply against a single
 * limit instead of each Loop's own. A meter stops the run by throwing a ModelError.
 * Sessions without a meter (the Worker's) pay nothing but an undefined check.
 */
import type { Graph, Node } from './graph';
import type { Tensor } from './tensor';

export interface RunMeter {
  /** Before `node`'s kernel runs on `inputs`. */
  beforeNode(node: Node, inputs: ReadonlyArray<Tensor | undefined>): void;
  /** After `node`'s kernel returned `outputs` (some may be views of inputs or reused buffers). */
  afterNode(node: Node, inputs: ReadonlyArray<Tensor | undefined>, outputs: readonly Tensor[]): void;
  /** Before a fresh output buffer of `bytes` is allocated for `node`. */
  allocate(node: Node, bytes: number): void;
  /** The buffer just allocated after `allocate` (already charged). */
  allocated(tensor: Tensor): void;
  /** A subgraph (If branch, Loop body) starts a run. */
  enterSubgraph(graph: Graph): void;
  /** That run ended; `outputs` when it completed (callers such as Loop copy them). */
  leaveSubgraph(outputs: readonly Tensor[] | undefined): void;
}
