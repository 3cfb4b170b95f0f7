/**
 * ai.onnx.ml TreeEnsembleRegressor (opsets 1-3): [N, n_targets] float32 predictions, aggregated
 * with SUM / AVERAGE / MIN / MAX over the trees, plus base_values, then the post-transform.
 */
import { kernel, required, type AttributeReader } from '../../kernel';
import {
  type Aggregate,
  type CompiledTrees,
  type ScoreBufferCache,
  compileNodeLists,
  finishRegressionRow,
  floatsOrTensor,
  readNodeLists,
  rowsOf,
  scoreBuffers,
} from './tree-ensemble-core';
import { columnCount, rowCount } from './input-rows';
import { keepShape2 } from '../output-shape';
import { scoreRows, takeRow } from './tree-ensemble-rows';
import { type PostTransform, readPostTransform } from './score-transforms';

export interface RegressorAttrs {
  trees: CompiledTrees;
  nTargets: number;
  aggregate: Aggregate;
  base: Float64Array;
  transform: PostTransform;
  buffers: ScoreBufferCache;
}

function parse(attrs: AttributeReader): RegressorAttrs {
  const nTargets = attrs.int('n_targets', 1);
  if (nTargets < 1) attrs.fail(`n_targets is ${nTargets}; it must be at least 1`);
  const aggregate = attrs.oneOf('aggregate_function', ['SUM', 'AVERAGE', 'MIN', 'MAX'] as const, 'SUM');
  const trees = compileNodeLists(attrs, readNodeLists(attrs, 'target_'), nTargets);
  const base = Float64Array.from(floatsOrTensor(attrs, 'base_values') ?? []);
  return { trees, nTargets, aggregate, base, transform: readPostTransform(attrs), buffers: {} };
}

export const treeEnsembleRegressor = kernel<RegressorAttrs>({
  op: 'TreeEnsembleRegressor',
  domain: 'ai.onnx.ml',
  attributes: parse,
  run(inputs, a, ctx) {
    const x = required(inputs, 0, ctx);
    const data = rowsOf(x, ctx, a.trees);
    const n = rowCount(x);
    const c = columnCount(x);
    const y = ctx.output(0, 'float32', keepShape2(ctx, 0, n, a.nTargets));
    const buf = scoreBuffers(a.buffers, a.nTargets, x.dtype === 'float64');
    const all = scoreRows(a.trees, a.aggregate, data, n, c, a.nTargets, x.dtype === 'float64', a.buffers);
    for (let row = 0; row < n; row++) {
      takeRow(all, row, a.nTargets, buf);
      finishRegressionRow(a.trees, a.aggregate, a.base, a.transform, buf, y.data, row * a.nTargets, a.nTargets);
    }
    return y;
  },
});
