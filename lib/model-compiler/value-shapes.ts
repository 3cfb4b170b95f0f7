/**
 * The shapes of intermediate values, found as shape-probe.ts finds output shapes: by running the
 * model (shapes only where kernel plans state them) on zero inputs whose variable dimensions are 1
 * and then 3, with the values asked for as the graph's outputs. A fusion that needs two values to
 * have the same shape asks whether they do in every run.
 */
import type { Model } from '../../worker/runtime/graph';
import { isIntegerDType } from '../../worker/runtime/tensor';
import { CompileBudget } from './compile-budget';
import { PROBE_SIZES, probeShapes } from './shape-probe';

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
    let results: Record<string, readonly number[]> | undefined;
    try {
      const budget = new CompileBudget(limits);
      budget.phase = 'probing output shapes';
      results = probeShapes(probed, size, budget);
    } catch {
      // a fusion that cannot be checked is left out; the compile itself goes on
      return undefined;
    }
    if (!results) return undefined;
    for (const name of names) shapes.get(name)!.push([...results[name]]);
  }
  return shapes;
}

/** Whether two probed values had the same shape in every run. */
export function sameShapes(a: readonly number[][] | undefined, b: readonly number[][] | undefined): boolean {
  if (!a || !b || a.length !== b.length || a.length === 0) return false;
  return a.every((s, i) => s.length === b[i].length && s.every((d, j) => d === b[i][j]));
}
