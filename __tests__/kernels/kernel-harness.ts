/**
 * Runs one kernel the way the session does, without a model: attributes parsed by an
 * AttributeReader for a synthetic node, then `run` with a minimal KernelContext.
 *
 * Output buffers come back dirty (NaN, 7, 'junk'...) unless `cleanOutputs` is set, because the
 * session reuses buffers between runs: a kernel that relies on zeroed outputs fails here.
 */
import type { Attributes, Graph, Node } from '../../worker/runtime/graph';
import type { Kernel, KernelContext } from '../../worker/runtime/kernel';
import { AttributeReader } from '../../worker/runtime/kernel';
import type { DType } from '../../worker/runtime/tensor';
import { Tensor, isBigIntDType } from '../../worker/runtime/tensor';

export interface KernelRunOptions {
  readonly attributes?: Attributes;
  /** @default 25 */
  readonly opset?: number;
  /** @default 1 */
  readonly outputs?: number;
  /** @default false: outputs start filled with junk, as reused buffers do */
  readonly cleanOutputs?: boolean;
  readonly runSubgraph?: (graph: Graph, bindings?: ReadonlyMap<string, Tensor>) => Tensor[];
}

export function nodeFor(k: Kernel<any>, inputCount: number, opts: KernelRunOptions = {}): Node {
  return {
    op: k.op,
    domain: k.domain ?? '',
    name: 'n0',
    inputs: Array.from({ length: inputCount }, (_, i) => `in${i}`),
    outputs: Array.from({ length: opts.outputs ?? 1 }, (_, i) => `out${i}`),
    attributes: opts.attributes ?? {},
  };
}

/** Parses attributes as the compiler does; throws the kernel's ModelError for bad ones. */
export function parseKernelAttributes<A>(k: Kernel<A>, attributes: Attributes = {}, opset = 25): A {
  const node = nodeFor(k, 0, { attributes });
  return k.attributes ? k.attributes(new AttributeReader(node), opset) : (undefined as A);
}

export function makeContext(node: Node, opset: number, opts: KernelRunOptions = {}): KernelContext {
  return {
    node,
    opset,
    output: (_i, dtype, shape) => (opts.cleanOutputs ? Tensor.zeros(dtype, shape) : dirtyTensor(dtype, shape)),
    runSubgraph: (g, b) => {
      if (!opts.runSubgraph) throw new Error('runSubgraph was not provided to the test context');
      return opts.runSubgraph(g, b);
    },
    scratch: (n) => new Float32Array(n + 3).fill(NaN),
  };
}

export function runKernel(k: Kernel<any>, inputs: ReadonlyArray<Tensor | undefined>, opts: KernelRunOptions = {}): Tensor[] {
  const opset = opts.opset ?? 25;
  const node = nodeFor(k, inputs.length, opts);
  const attrs = k.attributes ? k.attributes(new AttributeReader(node), opset) : undefined;
  return k.run(inputs, attrs, makeContext(node, opset, opts));
}

/** The single output of a kernel run. */
export function run1(k: Kernel<any>, inputs: ReadonlyArray<Tensor | undefined>, opts: KernelRunOptions = {}): Tensor {
  return runKernel(k, inputs, opts)[0];
}

function dirtyTensor<D extends DType>(dtype: D, shape: readonly number[]): Tensor<D> {
  const t = Tensor.zeros(dtype, shape);
  const data = t.data as { fill(v: unknown): unknown };
  if (dtype === 'string') data.fill('junk');
  else if (isBigIntDType(dtype)) data.fill(7n);
  else if (dtype === 'float32' || dtype === 'float64') data.fill(NaN);
  else data.fill(dtype === 'bool' ? 1 : 7);
  return t;
}

/** Shorthand for Tensor.from. */
export function tensor(dtype: DType, shape: readonly number[], values: ArrayLike<number | bigint | string | boolean>): Tensor {
  return Tensor.from(dtype, shape, values);
}

export const f32 = (shape: readonly number[], values: ArrayLike<number>): Tensor => tensor('float32', shape, values);
export const f64 = (shape: readonly number[], values: ArrayLike<number>): Tensor => tensor('float64', shape, values);
export const i32 = (shape: readonly number[], values: ArrayLike<number>): Tensor => tensor('int32', shape, values);
export const i64 = (shape: readonly number[], values: ArrayLike<number | bigint>): Tensor => tensor('int64', shape, values);
export const bool = (shape: readonly number[], values: ArrayLike<number | boolean>): Tensor => tensor('bool', shape, values);
export const scalar = (dtype: DType, value: number | bigint | string | boolean): Tensor => tensor(dtype, [], [value]);

/** 0, 1, 2, ... (or 's0', 's1', ... for strings) in a tensor of the given shape. */
export function iota(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(dtype, shape, Array.from({ length: n }, (_, i) => (dtype === 'string' ? `s${i}` : i)));
}

/** Plain values for assertions (bigint -> number). */
export function values(x: Tensor): (number | string)[] {
  return Array.from(x.data as ArrayLike<number | bigint | string>, (v) => (typeof v === 'bigint' ? Number(v) : v));
}
