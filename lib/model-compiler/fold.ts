/**
 * Constant folding: Constant nodes become initializers, and a node whose inputs are all
 * constants is run once here, through the same kernel the Worker uses, and replaced by its
 * results. Folding is skipped where the result would be much larger than what it is made from
 * (ConstantOfShape / Expand / Tile / Range of millions of elements): the artifact stays small and
 * the Worker computes those at run time instead. Every kernel run here charges the compile budget.
 */
import { KernelError, ModelError } from '../../worker/runtime/errors';
import type { AttributeValue, Graph, Model, Node } from '../../worker/runtime/graph';
import { isGraph, nodeLabel } from '../../worker/runtime/graph';
import { AttributeReader, KernelContext, runKernelOnce } from '../../worker/runtime/kernel';
import { findKernel } from '../../worker/runtime/kernels/registry';
import { DType, MAX_TENSOR_ELEMENTS, Tensor, bytesPerElement, sizeOf } from '../../worker/runtime/tensor';
import { opsetOf } from './check';
import { CompileBudget, CompileBudgetError, exhaustionIn } from './compile-budget';
import { constantValue } from './constant';
import { subgraphsOf } from './graph-utils';

/** Results above this many elements are folded only if no larger than their inputs. */
export const FOLD_GROWTH_LIMIT = 1_000_000;
/**
 * Generators (ConstantOfShape, Expand, Tile, Range) are cheap to run and their results compress
 * well but bloat the artifact: fold them only when the result stays this small.
 */
export const FOLD_GENERATOR_LIMIT = 65_536;

/** Ops whose results differ per run, or that must not be evaluated early. */
const NEVER_FOLD = new Set([
  'RandomNormal', 'RandomNormalLike', 'RandomUniform', 'RandomUniformLike', 'Multinomial', 'Bernoulli', 'Dropout',
  'If', 'Loop', 'Scan',
]);

export interface FoldStats {
  foldedNodes: number;
  constantNodes: number;
}

/** What the folding passes share. */
interface Folding {
  readonly model: Model;
  readonly stats: FoldStats;
  readonly budget: CompileBudget;
}

class FoldContext implements KernelContext {
  constructor(
    readonly node: Node,
    readonly opset: number,
    private readonly budget: CompileBudget,
  ) {}
  output<D extends DType>(_index: number, dtype: D, shape: readonly number[]): Tensor<D> {
    const size = sizeOf(shape);
    if (size > 16 * FOLD_GROWTH_LIMIT) throw new SkipFold();
    this.budget.allocate(this.node, size * bytesPerElement(dtype));
    const t = Tensor.zeros(dtype, shape.slice());
    this.budget.allocated(t);
    return t;
  }
  scratch(length: number): Float32Array {
    return new Float32Array(length);
  }
  /** As the session's NodeContext: positions kept, the list as long as the last output given. */
  results(first: Tensor, second?: Tensor, third?: Tensor): Tensor[] {
    return third !== undefined ? [first, second!, third] : second !== undefined ? [first, second] : [first];
  }
  runSubgraph(): Tensor[] {
    throw new SkipFold();
  }
}

class SkipFold extends Error {}

function numbers(t: Tensor | undefined): number[] | undefined {
  if (!t || t.dtype === 'string' || t.size > 64) return undefined;
  return Array.from(t.data as ArrayLike<number | bigint>, Number);
}

/** Elements a generator op would produce, where it is cheap to tell beforehand. */
function predictedSize(node: Node, inputs: ReadonlyArray<Tensor | undefined>): number | undefined {
  switch (node.op) {
    case 'ConstantOfShape': {
      const dims = numbers(inputs[0]);
      return dims ? dims.reduce((a, b) => a * Math.max(b, 0), 1) : undefined;
    }
    case 'Expand': {
      const dims = numbers(inputs[1]);
      const x = inputs[0];
      if (!dims || !x) return undefined;
      const rank = Math.max(dims.length, x.rank);
      let n = 1;
      for (let i = 0; i < rank; i++) {
        const a = x.shape[x.rank - rank + i] ?? 1;
        const b = dims[dims.length - rank + i] ?? 1;
        n *= Math.max(a, b);
      }
      return n;
    }
    case 'Tile': {
      const reps = numbers(inputs[1]);
      return reps && inputs[0] ? inputs[0].size * reps.reduce((a, b) => a * Math.max(b, 0), 1) : undefined;
    }
    case 'Range': {
      const [start, limit, delta] = [numbers(inputs[0])?.[0], numbers(inputs[1])?.[0], numbers(inputs[2])?.[0]];
      if (start === undefined || limit === undefined || !delta) return undefined;
      return Math.max(Math.ceil((limit - start) / delta), 0);
    }
    default:
      return undefined;
  }
}

function tooLarge(outputSize: number, inputSize: number): boolean {
  return outputSize > FOLD_GROWTH_LIMIT && outputSize > inputSize;
}

function foldGraph(f: Folding, graph: Graph, isRoot: boolean): Graph {
  const { stats } = f;
  const constants = new Map(graph.initializers);
  const nodes: Node[] = [];
  for (const original of graph.nodes) {
    const node = subgraphsOf(original).length === 0 ? original : withFoldedSubgraphs(f, original);
    if (node.op === 'Constant' && node.domain === '' && node.outputs.length === 1) {
      constants.set(node.outputs[0], constantValue(node));
      stats.constantNodes++;
      continue;
    }
    // Subgraphs may shadow names, and a folded subgraph-level node would hide outer values;
    // general folding is done in the main graph only.
    if (isRoot && tryFold(f, node, constants)) {
      stats.foldedNodes++;
      continue;
    }
    nodes.push(node);
  }
  return { ...graph, initializers: constants, nodes };
}

function tryFold({ model, budget }: Folding, node: Node, constants: Map<string, Tensor>): boolean {
  if (NEVER_FOLD.has(node.op) || node.outputs.length === 0 || subgraphsOf(node).length > 0) return false;
  const kernel = findKernel(node.domain, node.op);
  if (!kernel) return false;
  const inputs: Array<Tensor | undefined> = [];
  for (const name of node.inputs) {
    if (name === '') inputs.push(undefined);
    else {
      const t = constants.get(name);
      if (!t) return false;
      inputs.push(t);
    }
  }
  const inputSize = inputs.reduce((n, t) => n + (t ? t.size : 0), 0);
  const predicted = predictedSize(node, inputs);
  if (predicted !== undefined && predicted > MAX_TENSOR_ELEMENTS) {
    throw new ModelError(
      `${nodeLabel(node)} would produce ${predicted} elements from its constant inputs, above the runtime's limit of ${MAX_TENSOR_ELEMENTS} elements per tensor; check the shape constants`,
    );
  }
  if (predicted !== undefined && predicted > FOLD_GENERATOR_LIMIT && predicted > inputSize) return false;
  const opset = opsetOf(model, node.domain);
  let outputs: Tensor[];
  try {
    const attrs = kernel.attributes ? kernel.attributes(new AttributeReader(node), opset) : undefined;
    budget.beforeNode(node, inputs);
    outputs = runKernelOnce(kernel, inputs, attrs, new FoldContext(node, opset, budget));
    budget.afterNode(node, inputs, outputs);
  } catch (e) {
    if (e instanceof SkipFold) return false;
    if (e instanceof CompileBudgetError) throw e;
    // Running out of memory is no reason to leave the node for later: the compile fails.
    if (exhaustionIn(e)) throw new ModelError(`${nodeLabel(node)}: folding its constant inputs exhausted the compiler (${(e as Error).message}); its result is far too large for an edge artifact`);
    // Every input is a constant, so the node would fail the same way on every request.
    if (e instanceof ModelError || e instanceof KernelError) throw new ModelError(`${e.message} (on the model's constant inputs, so on every request)`);
    // Anything else (a kernel that cannot evaluate early): the node stays and runs at request time.
    return false;
  }
  if (outputs.length < node.outputs.filter((o) => o).length) return false;
  const outputSize = outputs.reduce((n, t) => n + t.size, 0);
  if (tooLarge(outputSize, inputSize)) return false;
  node.outputs.forEach((name, i) => {
    if (!name) return;
    // Results may be views of other constants; copy so each initializer owns its data.
    const t = outputs[i];
    constants.set(name, inputs.some((x) => x && x.data === t.data) ? t.clone() : t);
  });
  return true;
}

function withFoldedSubgraphs(f: Folding, node: Node): Node {
  let attributes: Record<string, AttributeValue> | undefined;
  for (const [k, v] of Object.entries(node.attributes)) {
    let folded: AttributeValue | undefined;
    if (isGraph(v)) folded = foldGraph(f, v, false);
    else if (Array.isArray(v) && v.length > 0 && typeof v[0] === 'object' && isGraph(v[0] as AttributeValue)) {
      folded = (v as Graph[]).map((g) => foldGraph(f, g, false));
    }
    if (folded) (attributes ??= { ...node.attributes })[k] = folded;
  }
  return attributes ? { ...node, attributes } : node;
}

/** Folds constants; the graph must be topologically ordered. */
export function foldConstants(model: Model, stats: FoldStats = { foldedNodes: 0, constantNodes: 0 }, budget: CompileBudget = new CompileBudget()): Model {
  budget.phase = 'folding constants';
  return { ...model, graph: foldGraph({ model, stats, budget }, model.graph, true) };
}
