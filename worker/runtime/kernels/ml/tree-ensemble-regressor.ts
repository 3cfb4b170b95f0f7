/**
 * ai.onnx.ml TreeEnsembleRegressor (opsets 1-3): [N, n_targets] float32 predictions, aggregated
 * with SUM / AVERAGE / MIN / MAX over the trees, plus base_values, then the post-transform.
 */
import { kernel, required, type AttributeReader } from '../../kernel';
import {
  type Aggregate,
  type CompiledTrees,
  compileNodeLists,
  finishRegressionRow,
  floatsOrTensor,
  readNodeLists,
} from './tree-ensemble-core';
import { numbersOf } from './input-rows';
import { type TreePlan, planTrees, scoreRows, takeRow } from './tree-ensemble-rows';
import { type PostTransform, readPostTransform } from './score-transforms';

export interface RegressorAttrs {
  trees: CompiledTrees;
  nTargets: number;
  aggregate: Aggregate;
  base: Float64Array;
  transform: PostTransform;
}

interface RegressorPlan extends TreePlan {
  readonly outShape: readonly number[];
}

function parse(attrs: AttributeReader): RegressorAttrs {
  const nTargets = attrs.int('n_targets', 1);
  if (nTargets < 1) attrs.fail(`n_targets is ${nTargets}; it must be at least 1`);
  const aggregate = attrs.oneOf('aggregate_function', ['SUM', 'AVERAGE', 'MIN', 'MAX'] as const, 'SUM');
  const trees = compileNodeLists(attrs, readNodeLists(attrs, 'target_'), nTargets);
  const base = Float64Array.from(floatsOrTensor(attrs, 'base_values') ?? []);
  return { trees, nTargets, aggregate, base, transform: readPostTransform(attrs) };
}

export const treeEnsembleRegressorKernel = kernel<RegressorAttrs, RegressorPlan>({
  op: 'TreeEnsembleRegressor',
  domain: 'ai.onnx.ml',
  attributes: parse,
  plan(inputs, a, ctx, previous) {
    const plan = planTrees(required(inputs, 0, ctx), a.trees, a.nTargets, ctx, previous);
    return { ...plan, outShape: [plan.n, a.nTargets] };
  },
  outputs: (plan) => [{ dtype: 'float32', shape: plan.outShape }],
  run(inputs, a, ctx, plan) {
    const data = numbersOf(inputs[0]!, ctx);
    const n = plan.n;
    const y = ctx.output(0, 'float32', plan.outShape);
    const buf = plan.row;
    const all = scoreRows(a.trees, a.aggregate, data, a.nTargets, plan);
    for (let row = 0; row < n; row++) {
      takeRow(all, row, a.nTargets, buf);
      finishRegressionRow(a.trees, a.aggregate, a.base, a.transform, buf, y.data, row * a.nTargets, a.nTargets);
    }
    return y;
  },
});
