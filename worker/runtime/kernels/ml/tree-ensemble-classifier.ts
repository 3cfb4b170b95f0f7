/**
 * ai.onnx.ml TreeEnsembleClassifier (opsets 1-3, and 5 where it is deprecated but still loadable).
 * Outputs the label ([N], int64 or string) and the class scores ([N, classes], float32), with
 * onnxruntime's conventions for two classes: a single voted class becomes [1 - p, p] (all weights
 * positive) or [-s, s] / logistic pairs (signed weights), and base_values follow its rules.
 */
import { kernel, required, type AttributeReader } from '../../kernel';
import {
  type CompiledTrees,
  compileNodeLists,
  floatsOrTensor,
  readNodeLists,
} from './tree-ensemble-core';
import { numbersOf } from './input-rows';
import { Int64Words, int64Words, setInt64 } from '../common/int64-words';
import { type TreePlan, planTrees, scoreRows, takeRow } from './tree-ensemble-rows';
import { type PostTransform, logistic, probit, readPostTransform, transformRow } from './score-transforms';
import { readLabelLists } from './label-lists';

interface ClassifierAttrs {
  trees: CompiledTrees;
  nClasses: number;
  base: Float64Array;
  transform: PostTransform;
  labelsInt: BigInt64Array | null;
  labelsString: string[] | null;
  /** two classes and every weight votes for the same one */
  binaryCase: boolean;
  weightsAllPositive: boolean;
}

interface ClassifierPlan extends TreePlan {
  readonly labelShape: readonly number[];
  readonly scoreShape: readonly number[];
  readonly labelWords: Int64Words;
  /** the int64 class labels as 32-bit words */
  readonly classWords: Int32Array | null;
}

function parse(attrs: AttributeReader): ClassifierAttrs {
  const { strings, ints, count: nClasses } = readLabelLists(attrs, 'classlabels_strings', 'classlabels_int64s', 'class labels');
  if (nClasses < 2) attrs.fail('a classifier needs at least two class labels');
  const lists = readNodeLists(attrs, 'class_');
  const trees = compileNodeLists(attrs, lists, nClasses);
  const base = Float64Array.from(floatsOrTensor(attrs, 'base_values') ?? []);
  const classes = new Set(lists.weightTargets);
  let allPositive = true;
  for (let i = 0; i < lists.weightValues.length; i++) if (lists.weightValues[i] < 0) allPositive = false;
  return {
    trees,
    nClasses,
    base,
    transform: readPostTransform(attrs),
    labelsInt: ints.length ? BigInt64Array.from(ints.map((v) => BigInt(v))) : null,
    labelsString: strings.length ? strings : null,
    binaryCase: nClasses === 2 && classes.size === 1,
    weightsAllPositive: allPositive,
  };
}

export const treeEnsembleClassifierKernel = kernel<ClassifierAttrs, ClassifierPlan>({
  op: 'TreeEnsembleClassifier',
  domain: 'ai.onnx.ml',
  attributes: parse,
  plan(inputs, a, ctx, previous) {
    const plan = planTrees(required(inputs, 0, ctx), a.trees, a.nClasses, ctx, previous);
    return { ...plan, labelShape: [plan.n], scoreShape: [plan.n, a.nClasses], labelWords: new Int64Words(), classWords: a.labelsInt ? int64Words(a.labelsInt) : null };
  },
  outputs: (plan, _inputs, a) => [
    { dtype: a.labelsString ? 'string' : 'int64', shape: plan.labelShape },
    { dtype: 'float32', shape: plan.scoreShape },
  ],
  run(inputs, a, ctx, plan) {
    const data = numbersOf(inputs[0]!, ctx);
    const n = plan.n;
    const k = a.nClasses;
    const labelShape = plan.labelShape;
    const labelOut = a.labelsString ? ctx.output(0, 'string', labelShape) : ctx.output(0, 'int64', labelShape);
    const scores = ctx.output(1, 'float32', plan.scoreShape);
    // int64 labels written as 32-bit halves: reading or making a BigInt per row would allocate
    const labelWords = a.labelsString ? null : plan.labelWords.of(labelOut.data as BigInt64Array);
    const classWords = plan.classWords;
    const buf = plan.row;
    const all = scoreRows(a.trees, 'SUM', data, k, plan);
    const out = scores.data;
    for (let row = 0; row < n; row++) {
      takeRow(all, row, k, buf);
      const cls = k > 2 ? finishMulticlass(a, buf.score, buf.has, out, row * k) : finishBinary(a, buf.score, buf.has, out, row * k);
      if (a.labelsString) (labelOut.data as string[])[row] = a.labelsString[cls] ?? a.labelsString[0];
      else if (labelWords !== null && classWords !== null) {
        if (cls < 0) setInt64(labelWords, row, -cls - 1);
        else {
          labelWords[2 * row] = classWords[2 * cls];
          labelWords[2 * row + 1] = classWords[2 * cls + 1];
        }
      } else (labelOut.data as BigInt64Array)[row] = cls < 0 ? BigInt(-cls - 1) : a.labelsInt![cls];
    }
    return ctx.results(labelOut, scores);
  },
});

/** Returns the winning class index. */
function finishMulticlass(a: ClassifierAttrs, score: Float32Array | Float64Array, has: Uint8Array, out: Float32Array, o: number): number {
  const k = a.nClasses;
  for (let j = 0; j < a.base.length && j < k; j++) {
    if (!has[j]) {
      has[j] = 1;
      score[j] = a.base[j];
    } else score[j] += a.base[j];
  }
  let best = -1;
  let bestScore = 0;
  for (let j = 0; j < k; j++) {
    if (has[j] && (best === -1 || score[j] > bestScore)) {
      best = j;
      bestScore = score[j];
    }
    if (!has[j]) score[j] = 0;
  }
  transformRow(score, 0, k, a.transform);
  for (let j = 0; j < k; j++) out[o + j] = score[j];
  return best < 0 ? 0 : best;
}

/**
 * Two classes. Returns the winning class index, or -1 - raw label when onnxruntime emits a raw 0/1
 * label (two classes voted for separately and no class list mapping applies).
 */
function finishBinary(a: ClassifierAttrs, score: Float32Array | Float64Array, has: Uint8Array, out: Float32Array, o: number): number {
  let size = 2;
  let addSecond = -1;
  const base = a.base;
  if (base.length === 2) {
    if (has[1]) {
      score[1] = base[1] + score[0];
      score[0] = -score[1];
    } else {
      score[1] += base[1];
      score[0] += base[0];
    }
  } else if (base.length === 1) {
    score[0] += base[0];
    if (!has[1]) size = 1;
  } else if (base.length === 0) {
    addSecond = 3;
    if (!has[1]) size = 1;
  }
  const positive = size === 2 && has[1] ? score[1] : has[0] ? score[0] : 0;
  let cls: number;
  if (a.binaryCase) {
    if (a.weightsAllPositive) {
      addSecond = positive > 0.5 ? 0 : 1;
      cls = positive > 0.5 ? 1 : 0;
    } else {
      addSecond = positive > 0 ? 2 : 3;
      cls = positive > 0 ? 1 : 0;
    }
  } else {
    // onnxruntime answers the raw labels 1 / 0 here, which index the string labels.
    cls = a.labelsString ? (positive > 0 ? 1 : 0) : positive > 0 ? -2 : -1;
  }
  const v0 = has[0] ? score[0] : 0;
  if (size === 2) {
    score[0] = v0;
    score[1] = has[1] ? score[1] : 0;
    transformRow(score, 0, 2, a.transform);
    out[o] = score[0];
    out[o + 1] = score[1];
    return cls;
  }
  if (a.transform === 'PROBIT') {
    out[o] = probit(v0);
    out[o + 1] = 0;
  } else if (addSecond === 0 || addSecond === 1) {
    out[o] = 1 - v0;
    out[o + 1] = v0;
  } else if (addSecond === 2 || addSecond === 3) {
    if (a.transform === 'LOGISTIC') {
      out[o] = logistic(-v0);
      out[o + 1] = logistic(v0);
    } else {
      out[o] = -v0;
      out[o + 1] = v0;
    }
  } else {
    out[o] = v0;
    out[o + 1] = 0;
  }
  return cls;
}
