/**
 * Runs kernels the way the session does, without a model: attributes parsed by an AttributeReader
 * for a synthetic node, then the session's own NodeContext (output buffers, scratch, output list,
 * the plan made per input signature).
 *
 * - `runKernel` / `run1`: a fresh context per call, as a node's first run.
 * - `KernelReplay`: one context across runs, as a node serving request after request: plans are
 *   reused while the signature holds and made again when it changes.
 *
 * Output buffers and scratch come back dirty (NaN, 7, 'junk'...) because the session reuses
 * buffers between runs: a kernel that relies on zeroed outputs fails here (`cleanOutputs` turns
 * that off).
 */
import type { Attributes, Graph, Node } from '../../worker/runtime/graph';
import type { AnyKernel, Kernel, KernelContext, OutputSignature } from '../../worker/runtime/kernel';
import { AttributeReader, outputsAsList } from '../../worker/runtime/kernel';
import { NodeContext } from '../../worker/runtime/node-context';
import type { DType } from '../../worker/runtime/tensor';
import { Tensor, isBigIntDType } from '../../worker/runtime/tensor';

export interface KernelRunOptions {
  readonly attributes?: Attributes;
  /** @default 25 */
  readonly opset?: number;
  /** output count, or output names ('' marks an omitted optional output) @default 1 */
  readonly outputs?: number | readonly string[];
  /** @default false: outputs start filled with junk, as reused buffers do */
  readonly cleanOutputs?: boolean;
  /** indices of inputs that are weights (the same tensor on every run, as initializers are) */
  readonly weights?: readonly number[];
  readonly runSubgraph?: (graph: Graph, bindings?: ReadonlyMap<string, Tensor>) => Tensor[];
}

export function nodeFor(k: Kernel<any, any>, inputCount: number, opts: KernelRunOptions = {}): Node {
  const outputs = opts.outputs ?? 1;
  return {
    op: k.op,
    domain: k.domain ?? '',
    name: 'n0',
    inputs: Array.from({ length: inputCount }, (_, i) => `in${i}`),
    outputs: typeof outputs === 'number' ? Array.from({ length: outputs }, (_, i) => `out${i}`) : [...outputs],
    attributes: opts.attributes ?? {},
  };
}

/** Parses attributes as the compiler does; throws the kernel's ModelError for bad ones. */
export function parseKernelAttributes<A>(k: Kernel<A, any>, attributes: Attributes = {}, opset = 25): A {
  const node = nodeFor(k, 0, { attributes });
  return k.attributes ? k.attributes(new AttributeReader(node), opset) : (undefined as A);
}

/** The session's node context with junk-filled new buffers. */
class TestNodeContext extends NodeContext {
  constructor(node: Node, opset: number, private readonly opts: KernelRunOptions, constants: ReadonlyArray<Tensor | undefined>) {
    super(
      node,
      opset,
      (g, b) => {
        if (!opts.runSubgraph) throw new Error('runSubgraph was not provided to the test context');
        return opts.runSubgraph(g, b);
      },
      constants,
    );
  }
  protected override allocate<D extends DType>(dtype: D, shape: number[]): Tensor<D> {
    return this.opts.cleanOutputs ? Tensor.zeros(dtype, shape) : dirtyTensor(dtype, shape);
  }
  protected override allocateScratch(length: number): Float32Array {
    return new Float32Array(length + 3).fill(NaN);
  }
}

/** A context for calling `kernel.run` directly (no plan is made: for kernels without one). */
export function makeContext(node: Node, opset: number, opts: KernelRunOptions = {}): KernelContext {
  return new TestNodeContext(node, opset, opts, []);
}

/**
 * One node replayed across runs through one context, as the session runs it: the kernel's plan is
 * made on the first run and again whenever the inputs' signature changes.
 */
export class KernelReplay {
  readonly node: Node;
  private readonly attrs: unknown;
  private ctx: TestNodeContext | undefined;

  constructor(
    readonly kernel: AnyKernel,
    inputCount: number,
    private readonly opts: KernelRunOptions = {},
  ) {
    this.node = nodeFor(kernel, inputCount, opts);
    const opset = opts.opset ?? 25;
    this.attrs = kernel.attributes ? kernel.attributes(new AttributeReader(this.node), opset) : undefined;
  }

  /** Runs the node; the outputs are the node's buffers (valid until the next run), as a list. */
  run(inputs: ReadonlyArray<Tensor | undefined>): Tensor[] {
    // weights are fixed for the node's life: the first run's tensors at the weight indices
    this.ctx ??= new TestNodeContext(this.node, this.opts.opset ?? 25, this.opts, inputs.map((t, i) => (this.opts.weights?.includes(i) ? t : undefined)));
    return outputsAsList(this.ctx.runNode(this.kernel, this.attrs, inputs)).slice();
  }

  /** The outputs a fresh plan for these inputs states (undefined when it states none). */
  statedOutputs(inputs: ReadonlyArray<Tensor | undefined>): readonly OutputSignature[] | undefined {
    if (!this.kernel.plan) return undefined;
    const described = inputs.map((t, i) => t && { dtype: t.dtype, shape: t.shape, value: this.opts.weights?.includes(i) ? t : undefined });
    const plan = this.kernel.plan(described, this.attrs, { node: this.node, opset: this.opts.opset ?? 25 }, undefined);
    return this.kernel.outputs?.(plan, described, this.attrs);
  }
}

export function runKernel(k: Kernel<any, any>, inputs: ReadonlyArray<Tensor | undefined>, opts: KernelRunOptions = {}): Tensor[] {
  return new KernelReplay(k, inputs.length, opts).run(inputs);
}

/** The single output of a kernel run. */
export function run1(k: Kernel<any, any>, inputs: ReadonlyArray<Tensor | undefined>, opts: KernelRunOptions = {}): Tensor {
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
