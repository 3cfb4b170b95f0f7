/**
 * Output shapes the model does not declare, found by running it.
 *
 * Exporters often leave output dimensions unnamed or unknown, so model metadata would report
 * [-1, -1] for what is really [batch, 10]. Full symbolic shape inference needs a shape function
 * per op; running the graph twice on zero-filled inputs whose variable dimensions are 1 and then
 * 3 answers the same question for the common case with the kernels we already have: a dimension
 * equal in both runs is fixed, one that changes stays variable. Declared numeric dimensions are
 * never overridden, and any failure (a model that rejects zeros, an input of unknown rank) leaves
 * the declared shapes as they are. Models with integer inputs are not probed: those inputs may be
 * shapes or indices whose values decide the output shapes, which zeros would misrepresent.
 *
 * The runs compute shapes, not values, wherever they can (the session's `shapesOnly` mode): a node
 * whose kernel plan states its output dtypes and shapes (`Kernel.outputs`) yields zero tensors of
 * those shapes and its arithmetic is skipped, unless its outputs are small (at most
 * SHAPE_VALUE_ELEMENTS elements in all), which run for real. Why the shapes stay right: a plan
 * sees only dtypes, shapes and weights, so the shapes it states are the ones `run` would produce
 * for any values; skipping changes values only. Values decide shapes further on only where a
 * kernel reads them as shapes, indices, sizes or counts (Reshape, Expand, Slice, ConstantOfShape,
 * Range, TopK, Tile...), and those come from Shape/Size, constants and small arithmetic on them:
 * nodes with small outputs, which run, from inputs that are all computed for real. The limit: a
 * shape decided by the values of a large tensor (NonZero or Unique over activations, a Reshape
 * target summed from a large tensor) sees zeros where a real run would see the values that zero
 * inputs produce. The probe was already a heuristic on zero inputs, whose values are no more
 * representative of real inputs than zeros are; such shapes are data-dependent and, declared or
 * not, stay variable in practice.
 *
 * Both runs charge the compile budget for the nodes that really run and for every buffer,
 * skipped nodes' zero outputs included: running out of it, or of memory, fails the compile (a
 * model that exhausts the compiler on zeros would exhaust a Worker too) rather than pass as "no
 * shapes".
 */
import { ModelError } from '../../worker/runtime/errors';
import type { Dim, Model, ValueInfo } from '../../worker/runtime/graph';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { Tensor, isIntegerDType } from '../../worker/runtime/tensor';
import { CompileBudget, CompileBudgetError, exhaustionIn } from './compile-budget';

/** The sizes variable input dimensions take in the two probe runs. */
export const PROBE_SIZES = [1, 3] as const;
/** Probing must stay cheap: skip models whose probe inputs would be large (all inputs together). */
const MAX_PROBE_ELEMENTS = 1 << 20;

export function inferOutputShapes(model: Model, budget: CompileBudget = new CompileBudget()): Model {
  const outputs = model.graph.outputs;
  if (!outputs.some(hasUnknownDims) || model.graph.inputs.some((v) => isIntegerDType(v.dtype))) return model;
  budget.phase = 'probing output shapes';
  const runs = PROBE_SIZES.map((size) => probeShapes(model, size, budget));
  if (runs.some((r) => r === undefined)) return model;
  const [small, large] = runs as Array<Record<string, readonly number[]>>;
  const refined = outputs.map((v): ValueInfo => {
    const a = small[v.name];
    const b = large[v.name];
    if (!a || !b || a.length !== b.length || (v.shape && v.shape.length !== a.length)) return v;
    const shape: Dim[] = a.map((d, i) => {
      const declared = v.shape ? v.shape[i] : null;
      if (typeof declared === 'number') return declared;
      return d === b[i] ? d : declared;
    });
    return { ...v, shape };
  });
  return { ...model, graph: { ...model.graph, outputs: refined } };
}

function hasUnknownDims(v: ValueInfo): boolean {
  return v.kind !== 'map-rows' && (v.shape === null || v.shape.some((d) => typeof d !== 'number'));
}

/**
 * Output shapes for zero inputs whose variable dimensions are `size`; undefined if it cannot run.
 * Running out of the budget or of memory throws.
 */
export function probeShapes(model: Model, size: number, budget: CompileBudget): Record<string, readonly number[]> | undefined {
  const feeds: Record<string, Tensor> = {};
  let elements = 0;
  for (const input of model.graph.inputs) {
    if (input.shape === null) return undefined;
    const shape = input.shape.map((d) => (typeof d === 'number' ? d : size));
    // all inputs together: thousands of inputs just under the limit each would still be large
    elements += shape.reduce((a, b) => a * b, 1);
    if (elements > MAX_PROBE_ELEMENTS) return undefined;
    feeds[input.name] = Tensor.zeros(input.dtype, shape);
  }
  try {
    const results = InferenceSession.create(model, { kernels: allKernels, meter: budget, shapesOnly: true }).run(feeds);
    const shapes: Record<string, readonly number[]> = {};
    for (const [name, t] of Object.entries(results)) shapes[name] = t.shape;
    return shapes;
  } catch (e) {
    if (e instanceof CompileBudgetError) throw e;
    const exhausted = exhaustionIn(e);
    if (exhausted) {
      throw new ModelError(`running the model to find its output shapes exhausted the compiler (${(e as Error).message}); the model needs more memory than an edge Worker has`);
    }
    return undefined;
  }
}
