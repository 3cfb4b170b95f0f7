/**
 * The kernel interface. Every ONNX op is one `Kernel` record: it parses and validates its
 * attributes once (at compile time and again at load), may plan for an input signature, then runs
 * on tensors.
 *
 * Per-node state lives in the plan and nowhere else. `plan(inputs, attrs, ctx, previous)` sees the
 * inputs' dtypes and shapes (and the values of weights, which never change during a session) and
 * returns whatever the kernel derives from them: output shapes, a resolved window, a reshape target,
 * packed weights, row buffers. The session calls it again only when the signature changes (a dtype,
 * a shape, an input present or omitted, or the WebAssembly kernels installed), hands the plan to
 * every `run`, and drops it with the session. A kernel whose plan knows its output dtypes and
 * shapes states them through `outputs(plan, ...)`, so that the compiler can find shapes without
 * running the arithmetic. Parsed attributes are immutable; module-level caches
 * keyed by nodes, attributes or tensors are not allowed.
 *
 * Outputs are requested from `ctx.output(...)`: the session hands back the same buffer on every
 * run while the dtype and shape stay the same, so steady-state inference allocates nothing. A
 * kernel may instead return a view of an input (Reshape, Identity...) or a fresh tensor. A kernel
 * returns its single output as is, several through `ctx.results(...)` (a list the session owns) or,
 * off the inference path, as an array. Kernels must never write into their inputs.
 */
import type { AttributeValue, Graph, Node } from './graph';
import { isGraph, nodeLabel } from './graph';
import { KernelError, ModelError } from './errors';
import type { DType, Tensor } from './tensor';

/** What a kernel may know about an input when it plans. */
export interface PlanInput {
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** the tensor itself when it is a weight (an initializer: the same for every run of the session) */
  readonly value?: Tensor;
}

/** The node a plan is made for (for error messages and the opset). */
export interface PlanContext {
  readonly node: Node;
  /** opset version of the node's domain */
  readonly opset: number;
}

export interface KernelContext extends PlanContext {
  /** A buffer for output `index`, reused across runs while dtype and shape are unchanged. */
  output<D extends DType>(index: number, dtype: D, shape: readonly number[]): Tensor<D>;
  /** The node's output list holding these tensors (owned by the session, reused every run). */
  results(first: Tensor, second?: Tensor, third?: Tensor): Tensor[];
  /** Runs a subgraph attribute (If branches, Loop bodies) in the current scope. */
  runSubgraph(graph: Graph, bindings?: ReadonlyMap<string, Tensor>): Tensor[];
  /** A float32 scratch array of at least `length` elements, owned by this node and reused. */
  scratch(length: number): Float32Array;
}

/** A kernel's outputs: the single output itself, or one tensor per output. */
export type KernelOutputs = Tensor | readonly Tensor[];

/** The dtype and shape of one output, as a plan knows it before the kernel runs. */
export interface OutputSignature {
  readonly dtype: DType;
  readonly shape: readonly number[];
}

export interface Kernel<A = unknown, P = undefined> {
  readonly op: string;
  /** '' (ai.onnx, the default) or 'ai.onnx.ml' */
  readonly domain?: string;
  /** Parses and validates attributes into a typed, immutable object; throw via `attrs.fail(...)`. */
  readonly attributes?: (attrs: AttributeReader, opset: number) => A;
  /**
   * Derives the node's plan for an input signature; `previous` is the node's plan for the last
   * signature (weight-derived parts such as packed weights may be carried over). Raise
   * `kernelFail` for inputs that cannot fit.
   */
  readonly plan?: (inputs: ReadonlyArray<PlanInput | undefined>, attrs: A, ctx: PlanContext, previous: P | undefined) => P;
  /**
   * The dtype and shape of every output the node declares, from the plan alone (undefined when
   * they depend on values the plan did not see, such as a shape input that is not a weight). The
   * compiler's output-shape and working-set probes use them to skip the kernel's arithmetic, so
   * `run` must produce exactly these, in buffers from `ctx.output` (return undefined where `run`
   * would return a view of an input instead).
   */
  readonly outputs?: (plan: P, inputs: ReadonlyArray<PlanInput | undefined>, attrs: A) => readonly OutputSignature[] | undefined;
  /** Computes the node's outputs; shapes and values that do not fit raise `kernelFail`. */
  readonly run: (inputs: ReadonlyArray<Tensor | undefined>, attrs: A, ctx: KernelContext, plan: P) => KernelOutputs;
}

/** Any kernel, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKernel = Kernel<any, any>;

/** Defines a kernel with its attribute and plan types inferred. */
export function kernel<A = undefined, P = undefined>(def: Kernel<A, P>): Kernel<A, P> {
  return def;
}

/** The plan inputs for these tensors, every one of them a weight (constant folding, one-off runs). */
export function constantPlanInputs(inputs: ReadonlyArray<Tensor | undefined>): Array<PlanInput | undefined> {
  return inputs.map((t) => (t ? { dtype: t.dtype, shape: t.shape, value: t } : undefined));
}

/** The outputs as a list (a kernel may return its single output as is). */
export function outputsAsList(outputs: KernelOutputs): readonly Tensor[] {
  return Array.isArray(outputs) ? outputs : [outputs as Tensor];
}

/**
 * Runs a kernel once, outside a session (constant folding): plans for these inputs, runs, and
 * returns the outputs as a list.
 */
export function runKernelOnce<A, P>(k: Kernel<A, P>, inputs: ReadonlyArray<Tensor | undefined>, attrs: A, ctx: KernelContext): Tensor[] {
  const plan = k.plan ? k.plan(constantPlanInputs(inputs), attrs, ctx, undefined) : (undefined as P);
  return outputsAsList(k.run(inputs, attrs, ctx, plan)).slice();
}

/**
 * Typed access to a node's attributes with errors that name the node and the attribute. A getter
 * called without a fallback makes the attribute required; any fallback, `undefined` included, is
 * returned when the attribute is absent.
 */
export class AttributeReader {
  constructor(readonly node: Node) {}

  has(name: string): boolean {
    return this.node.attributes[name] !== undefined;
  }

  fail(message: string): never {
    throw new ModelError(`${nodeLabel(this.node)}: ${message}`);
  }

  private get(name: string): AttributeValue | undefined {
    return this.node.attributes[name];
  }

  /**
   * The attribute through `accept` (undefined for a value of the wrong kind, which fails naming
   * `kind`); when absent, the fallback if one was given, else an error that it is required.
   */
  private read<V, T>(name: string, hasFallback: boolean, fallback: T | undefined, kind: string, accept: (v: AttributeValue) => V | undefined): V | T {
    const v = this.get(name);
    if (v === undefined) return hasFallback ? (fallback as T) : this.fail(`attribute "${name}" is required`);
    const value = accept(v);
    if (value === undefined) this.fail(`attribute "${name}" must be ${kind}`);
    return value;
  }

  int(name: string): number;
  int<T>(name: string, fallback: T): number | T;
  int<T>(name: string, fallback?: T): number | T {
    return this.read(name, arguments.length > 1, fallback, 'an integer', (v) => (typeof v === 'number' && Number.isInteger(v) ? v : undefined));
  }

  float(name: string): number;
  float<T>(name: string, fallback: T): number | T;
  float<T>(name: string, fallback?: T): number | T {
    return this.read(name, arguments.length > 1, fallback, 'a number', (v) => (typeof v === 'number' ? v : undefined));
  }

  string(name: string): string;
  string<T>(name: string, fallback: T): string | T;
  string<T>(name: string, fallback?: T): string | T {
    return this.read(name, arguments.length > 1, fallback, 'a string', (v) => (typeof v === 'string' ? v : undefined));
  }

  ints(name: string): number[];
  ints<T>(name: string, fallback: T): number[] | T;
  ints<T>(name: string, fallback?: T): number[] | T {
    return this.read(name, arguments.length > 1, fallback, 'a list of integers', (v) => {
      if (typeof v === 'number' && Number.isInteger(v)) return [v];
      return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x)) ? (v as number[]) : undefined;
    });
  }

  floats(name: string): number[];
  floats<T>(name: string, fallback: T): number[] | T;
  floats<T>(name: string, fallback?: T): number[] | T {
    return this.read(name, arguments.length > 1, fallback, 'a list of numbers', (v) => {
      if (typeof v === 'number') return [v];
      return Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : undefined;
    });
  }

  strings(name: string): string[];
  strings<T>(name: string, fallback: T): string[] | T;
  strings<T>(name: string, fallback?: T): string[] | T {
    return this.read(name, arguments.length > 1, fallback, 'a list of strings', (v) => {
      if (typeof v === 'string') return [v];
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
    });
  }

  tensor(name: string): Tensor;
  tensor<T>(name: string, fallback: T): Tensor | T;
  tensor<T>(name: string, fallback?: T): Tensor | T {
    return this.read(name, arguments.length > 1, fallback, 'a tensor', (v) => (typeof v === 'object' && !Array.isArray(v) && !isGraph(v) ? (v as Tensor) : undefined));
  }

  graph(name: string): Graph {
    const v = this.get(name);
    if (v === undefined || typeof v !== 'object' || Array.isArray(v) || !isGraph(v)) {
      this.fail(`attribute "${name}" must be a graph`);
    }
    return v as Graph;
  }

  /** Restricts a string attribute to the given choices. */
  oneOf<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const v = this.string(name, fallback);
    if (!choices.includes(v as T)) this.fail(`attribute "${name}" is "${v}"; supported: ${choices.join(', ')}`);
    return v as T;
  }
}

/** Throws the error a kernel raises when the tensors reaching it do not fit. */
export function kernelFail(ctx: Pick<KernelContext, 'node'>, message: string): never {
  throw new KernelError(`${nodeLabel(ctx.node)}: ${message}`);
}

/** Asserts an input (a tensor, or its plan description) is present, for required inputs. */
export function required<T extends Tensor | PlanInput>(inputs: ReadonlyArray<T | undefined>, index: number, ctx: Pick<KernelContext, 'node'>): T {
  const t = inputs[index];
  if (!t) kernelFail(ctx, `input ${index} is required`);
  return t;
}
