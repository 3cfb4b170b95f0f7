/**
 * The attention core of the com.microsoft attention ops: ai.onnx Attention (transformer/attention.ts)
 * run on Q, K, V the contrib op has prepared, with an additive mask, inside the contrib node's
 * context. The inner call sees a node with the contrib node's name and the outputs it shares
 * (Y and, for MultiHeadAttention, present_key / present_value), so its buffers, scratch and
 * errors are the contrib node's own.
 */
import type { KernelContext, KernelOutputs } from '../../kernel';
import type { Graph, Node } from '../../graph';
import { Tensor } from '../../tensor';
import { QkOutputMode, type AttentionAttributes } from '../transformer/attention-attributes';
import { attentionKernel } from '../transformer/attention';

const INNER_OPSET = 23;

/** The contrib node's context as the inner Attention call sees it (kept in the plan, bound per run). */
export class InnerAttention implements KernelContext {
  readonly node: Node;
  readonly opset = INNER_OPSET;
  readonly attrs: AttentionAttributes;
  /** Q, K, V, attn_mask, past_key, past_value: filled by the caller before each `run` */
  readonly inputs: Array<Tensor | undefined> = [undefined, undefined, undefined, undefined, undefined, undefined];
  private outer: KernelContext | null = null;

  /** the halves of the stacked present output [2, B, N, T, H], when `stackedPresent` */
  private readonly present = new StackHalves();

  /**
   * `sharedOutputs`: how many of the node's outputs the inner call writes (Y, present_key,
   * present_value). With `stackedPresent` the node has one present output [2, B, N, T, H] (the
   * com.microsoft Attention cache) whose halves the inner call writes as present_key and present_value.
   */
  constructor(node: Node, heads: number, scale: number | undefined, sharedOutputs: number, private readonly stackedPresent = false) {
    const outputs = stackedPresent ? [node.outputs[0], node.outputs[1], node.outputs[1]] : node.outputs.slice(0, sharedOutputs);
    this.node = { ...node, outputs };
    this.attrs = { isCausal: false, qNumHeads: heads, kvNumHeads: heads, qkOutputMode: QkOutputMode.Product, scale, softcap: 0 };
  }

  /** The stacked present output of the last run (after `run`, with `stackedPresent`). */
  stackedPresentOutput(): Tensor | undefined {
    return this.present.stacked ?? undefined;
  }

  run(outer: KernelContext): KernelOutputs {
    this.outer = outer;
    try {
      return attentionKernel.run(this.inputs, this.attrs, this, undefined);
    } finally {
      this.outer = null;
    }
  }

  output<D extends Tensor['dtype']>(index: number, dtype: D, shape: readonly number[]): Tensor<D> {
    if (!this.stackedPresent || index === 0) return this.outer!.output(index, dtype, shape);
    const halves = this.present.of(this.outer!.output(1, dtype, [2, ...shape]));
    return halves[index - 1] as Tensor<D>;
  }

  results(first: Tensor, second?: Tensor, third?: Tensor): Tensor[] {
    return this.outer!.results(first, second, third);
  }

  runSubgraph(_graph: Graph): Tensor[] {
    throw new Error('attention has no subgraphs');
  }

  scratch(length: number): Float32Array {
    return this.outer!.scratch(length);
  }
}

/**
 * The two halves [0] and [1] along the first axis of a [2, ...] tensor (past and present of the
 * com.microsoft Attention cache) as tensors over the same memory, made again only when the
 * stacked tensor changes (the node's output buffer is the same run after run).
 */
export class StackHalves {
  stacked: Tensor | null = null;
  private halves: [Tensor, Tensor] | null = null;

  of(stacked: Tensor): [Tensor, Tensor] {
    if (stacked !== this.stacked || this.halves === null) {
      const shape = stacked.shape.slice(1);
      const half = stacked.size / 2;
      const data = stacked.data as Float32Array | Float64Array;
      this.halves = [new Tensor(stacked.dtype, shape, data.subarray(0, half)), new Tensor(stacked.dtype, shape, data.subarray(half))];
      this.stacked = stacked;
    }
    return this.halves;
  }
}
