/**
 * The shapes of intermediate values, found as shape-probe.ts finds output shapes: by running the
 * model (shapes only where kernel plans state them) on zero inputs whose variable dimensions are 1
 * and then 3, with the values asked for as extra graph outputs. A fusion that needs two values to
 * have the same shape asks whether they do in every run.
 */
import type { Model } from '../../worker/runtime/graph';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { Tensor, isIntegerDType } from '../../worker/runtime/tensor';
import { CompileBudget } from './compile-budget';

const PROBE_SIZES = [1, 3] as const;
/** The probe must stay cheap: skip models whose probe inputs would be large (all inputs together). */
const MAX_PROBE_ELEMENTS = 1 << 20;

/**
 * Each named value's shape per run (one run when no input has a variable dimension), or undefined
 * when the model cannot be probed: an input of unknown rank or of an integer type (whose values
 * may decide shapes), large inputs, or a run that fails. Runs under their own budget of `limits`.
 */
export function probeValueShapes(model: Model, wanted: readonly string[], limits: CompileBudget['limits']): Map<string, number[][]> | undefined {
  const inputs = model.graph.inputs;
  const names = [...new Set(wanted)];
  if (inputs.some((v) => v.shape === null || isIntegerDType(v.dtype) || v.dtype === 'string')) return undefined;
  const variable = inputs.some((v) => v.shape!.some((d) => typeof d !== 'number'));
  const probed: Model = {
    ...model,
    graph: { ...model.graph, outputs: names.map((name) => ({ name, dtype: 'float32', shape: null })) },
  };
  const shapes = new Map<string, number[][]>(names.map((n) => [n, []]));
  for (const size of variable ? PROBE_SIZES : PROBE_SIZES.slice(0, 1)) {
    const feeds: Record<string, Tensor> = {};
    let elements = 0;
    for (const v of inputs) {
      const shape = v.shape!.map((d) => (typeof d === 'number' ? d : size));
      elements += shape.reduce((a, b) => a * b, 1);
      if (elements > MAX_PROBE_ELEMENTS) return undefined;
      feeds[v.name] = Tensor.zeros(v.dtype, shape);
    }
    try {
      const budget = new CompileBudget(limits);
      budget.phase = 'probing output shapes';
      const results = InferenceSession.create(probed, { kernels: allKernels, meter: budget, shapesOnly: true }).run(feeds);
      for (const name of names) shapes.get(name)!.push([...results[name].shape]);
    } catch {
      return undefined;
    }
  }
  return shapes;
}

/** Whether two probed values had the same shape in every run. */
export function sameShapes(a: readonly number[][] | undefined, b: readonly number[][] | undefined): boolean {
  if (!a || !b || a.length !== b.length || a.length === 0) return false;
  return a.every((s, i) => s.length === b[i].length && s.every((d, j) => d === b[i][j]));
}
