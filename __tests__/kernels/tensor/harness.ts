/**
 * Calls a kernel the way the session does: parse attributes with an AttributeReader, then run with
 * a minimal KernelContext whose outputs are fresh tensors.
 */
import type { Attributes, Graph, Node } from '../../../worker/runtime/graph';
import type { Kernel, KernelContext } from '../../../worker/runtime/kernel';
import { AttributeReader } from '../../../worker/runtime/kernel';
import type { DType } from '../../../worker/runtime/tensor';
import { Tensor } from '../../../worker/runtime/tensor';

export interface RunOptions {
  attributes?: Attributes;
  opset?: number;
  /** number of node outputs (default 1) */
  outputs?: number;
  runSubgraph?: (graph: Graph) => Tensor[];
}

export function makeNode(k: Kernel<any>, inputCount: number, opts: RunOptions = {}): Node {
  return {
    op: k.op,
    domain: k.domain ?? '',
    name: 'n0',
    inputs: Array.from({ length: inputCount }, (_, i) => `in${i}`),
    outputs: Array.from({ length: opts.outputs ?? 1 }, (_, i) => `out${i}`),
    attributes: opts.attributes ?? {},
  };
}

export function parseAttributes<A>(k: Kernel<A>, attributes: Attributes = {}, opset = 25): A {
  const node = makeNode(k, 0, { attributes });
  return k.attributes ? k.attributes(new AttributeReader(node), opset) : (undefined as A);
}

export function runKernel(k: Kernel<any>, inputs: ReadonlyArray<Tensor | undefined>, opts: RunOptions = {}): Tensor[] {
  const opset = opts.opset ?? 25;
  const node = makeNode(k, inputs.length, opts);
  const attrs = k.attributes ? k.attributes(new AttributeReader(node), opset) : undefined;
  const ctx: KernelContext = {
    node,
    opset,
    output: (_i, dtype, shape) => Tensor.zeros(dtype, shape),
    runSubgraph: (g) => {
      if (!opts.runSubgraph) throw new Error('runSubgraph not provided');
      return opts.runSubgraph(g);
    },
    scratch: (n) => new Float32Array(n),
  };
  return k.run(inputs, attrs, ctx);
}

/** Shorthand for Tensor.from. */
export function t(dtype: DType, shape: readonly number[], values: ArrayLike<number | bigint | string | boolean>): Tensor {
  return Tensor.from(dtype, shape, values);
}

export const i64 = (values: readonly number[], shape: readonly number[] = [values.length]): Tensor => t('int64', shape, values);
export const f32 = (shape: readonly number[], values: ArrayLike<number>): Tensor => t('float32', shape, values);
/** 0, 1, 2, ... in a float32 tensor of the given shape */
export const iota = (shape: readonly number[], dtype: DType = 'float32'): Tensor =>
  t(dtype, shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (dtype === 'string' ? `s${i}` : i)));

/** Plain values for assertions (bigint -> number). */
export function vals(x: Tensor): (number | string)[] {
  return Array.from(x.data as ArrayLike<number | bigint | string>, (v) => (typeof v === 'bigint' ? Number(v) : v));
}
