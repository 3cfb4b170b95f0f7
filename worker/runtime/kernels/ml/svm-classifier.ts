/**
 * ai.onnx.ml SVMClassifier, as scikit-learn's SVC / NuSVC export it, with onnxruntime's
 * conventions (the reference every exporter is tested against):
 *
 * - SVC mode (vectors_per_class given): one-vs-one classifiers over the support vectors; each
 *   pair (i, j) scores sum(coef * K(x, sv)) + rho and votes for i when the score is > 0. The label
 *   is the class with most votes (the first on ties). Scores are the pairwise scores, or with
 *   prob_a/prob_b the Platt-scaled per-class probabilities. Two classes without probabilities
 *   give two columns from the one score s: [-s, s] (NONE), [σ(-s), σ(s)] (LOGISTIC),
 *   [probit(s), unset] (PROBIT), [1 - s, s] (SOFTMAX, SOFTMAX_ZERO), as onnxruntime 1.30 does.
 * - Linear mode (no support vectors): one coefficient row per class, scores x·w + rho[0], the
 *   label by the highest score (binary: onnxruntime's positive-class rule).
 * The post_transform is applied to the scores after the label is chosen.
 */
import { kernel, kernelFail, required, type AttributeReader } from '../../kernel';
import { rowsOfMatrix } from './input-rows';
import { logistic, type PostTransform, probit, readPostTransform, transformRow } from './score-transforms';
import { float32s, kernelRows, readSvmKernel, type SvmKernel } from './svm-common';
import { multiclassProbability, pairwiseProbabilities } from './svm-probability';
import { readLabelLists } from './label-lists';

const f = Math.fround;

interface SvmClassifierAttrs {
  readonly mode: 'svc' | 'linear';
  readonly kernel: SvmKernel;
  readonly classes: number;
  readonly features: number;
  /** SVC: per class; linear: empty */
  readonly vectorsPerClass: readonly number[];
  readonly startingVector: readonly number[];
  readonly vectorCount: number;
  readonly supportVectors: Float32Array;
  /** SVC: [classes - 1, vectorCount]; linear: [classes, features] */
  readonly coefficients: Float32Array;
  readonly rho: Float32Array;
  readonly probA: Float32Array;
  readonly probB: Float32Array;
  readonly transform: PostTransform;
  readonly weightsAllPositive: boolean;
  readonly labelsInt: BigInt64Array | null;
  readonly labelsString: readonly string[] | null;
}

function readAttributes(attrs: AttributeReader): SvmClassifierAttrs {
  const { strings, ints, count: classes } = readLabelLists(attrs, 'classlabels_strings', 'classlabels_ints', 'class labels');
  const coefficients = float32s(attrs, 'coefficients');
  if (coefficients.length === 0) attrs.fail('coefficients is empty');
  const rho = float32s(attrs, 'rho');
  if (rho.length === 0) attrs.fail('rho is empty');
  const probA = float32s(attrs, 'prob_a', []);
  const probB = float32s(attrs, 'prob_b', []);
  if (probA.length !== probB.length) attrs.fail(`prob_a has ${probA.length} values but prob_b has ${probB.length}; give both or neither`);
  const vectorsPerClass = attrs.ints('vectors_per_class', [] as number[]);
  if (vectorsPerClass.some((v) => v < 0)) attrs.fail('vectors_per_class has a negative count');
  const startingVector: number[] = [];
  let vectorCount = 0;
  for (const v of vectorsPerClass) {
    startingVector.push(vectorCount);
    vectorCount += v;
  }
  const supportVectors = float32s(attrs, 'support_vectors', []);
  const transform = readPostTransform(attrs);
  const common = {
    classes, coefficients, rho, probA, probB, transform, vectorsPerClass, startingVector, vectorCount, supportVectors,
    weightsAllPositive: coefficients.every((v) => v >= 0),
    labelsInt: ints.length ? BigInt64Array.from(ints.map((v) => BigInt(v))) : null,
    labelsString: strings.length ? strings : null,
  };
  if (vectorCount > 0) {
    const pairs = (classes * (classes - 1)) / 2;
    if (classes < 2) attrs.fail(`an SVC model needs at least 2 class labels, got ${classes}`);
    if (vectorsPerClass.length !== classes) attrs.fail(`vectors_per_class has ${vectorsPerClass.length} entries but there are ${classes} classes`);
    if (supportVectors.length === 0 || supportVectors.length % vectorCount !== 0) {
      attrs.fail(`support_vectors has ${supportVectors.length} values, not a positive multiple of the ${vectorCount} support vectors`);
    }
    if (coefficients.length !== (classes - 1) * vectorCount) {
      attrs.fail(`coefficients has ${coefficients.length} values; an SVC with ${classes} classes and ${vectorCount} support vectors needs ${(classes - 1) * vectorCount}`);
    }
    if (rho.length !== pairs) attrs.fail(`rho has ${rho.length} values; ${classes} classes need one per class pair (${pairs})`);
    if (probA.length && probA.length !== pairs) attrs.fail(`prob_a has ${probA.length} values; ${classes} classes need one per class pair (${pairs})`);
    return { ...common, mode: 'svc', kernel: readSvmKernel(attrs), features: supportVectors.length / vectorCount };
  }
  if (coefficients.length % classes !== 0) attrs.fail(`coefficients has ${coefficients.length} values, not a multiple of the ${classes} classes`);
  // without support vectors the model is liblinear's: the kernel is always LINEAR
  readSvmKernel(attrs);
  return { ...common, mode: 'linear', kernel: { type: 'LINEAR', gamma: 0, coef0: 0, degree: 0 }, features: coefficients.length / classes };
}

/** Width of the scores output: pairwise scores, per-class probabilities or class scores. */
function scoreWidth(a: SvmClassifierAttrs): number {
  if (a.mode === 'linear' || a.probA.length) return a.classes;
  return a.classes > 2 ? (a.classes * (a.classes - 1)) / 2 : 2;
}

export const svmClassifierKernel = kernel<SvmClassifierAttrs>({
  op: 'SVMClassifier',
  domain: 'ai.onnx.ml',
  attributes: readAttributes,
  run(inputs, a, ctx) {
    const { data, n, c } = rowsOfMatrix(required(inputs, 0, ctx), ctx);
    if (c !== a.features) kernelFail(ctx, `the input has ${c} features per row but the model expects ${a.features}`);
    const width = scoreWidth(a);
    const labels = a.labelsString ? ctx.output(0, 'string', [n]) : ctx.output(0, 'int64', [n]);
    const scores = ctx.output(1, 'float32', [n, width]);
    const classOf = a.mode === 'svc' ? svcRows(a, data, n, c, scores.data, width) : linearRows(a, data, n, c, scores.data);
    for (let row = 0; row < n; row++) {
      if (a.labelsString) (labels.data as string[])[row] = a.labelsString[classOf[row]];
      else (labels.data as BigInt64Array)[row] = a.labelsInt![classOf[row]];
    }
    return ctx.results(labels, scores);
  },
});

/** Scores rows in SVC mode into z; returns the winning class index per row. */
function svcRows(a: SvmClassifierAttrs, x: ArrayLike<number>, n: number, c: number, z: Float32Array, width: number): Int32Array {
  const k = a.classes;
  const pairs = (k * (k - 1)) / 2;
  const kernels = new Float32Array(n * a.vectorCount);
  kernelRows(a.kernel, x, n, c, a.supportVectors, a.vectorCount, 0, kernels);
  const pairScores = new Float32Array(pairs);
  const votes = new Int32Array(k);
  const r = a.probA.length ? new Float32Array(k * k) : null;
  const classOf = new Int32Array(n);
  for (let row = 0; row < n; row++) {
    const kr = row * a.vectorCount;
    votes.fill(0);
    let p = 0;
    for (let i = 0; i < k - 1; i++) {
      for (let j = i + 1; j < k; j++, p++) {
        let sum = 0;
        // coefficient rows skip the class itself: class i's vectors use row j - 1, class j's row i
        const ci = (j - 1) * a.vectorCount;
        for (let m = a.startingVector[i], e = m + a.vectorsPerClass[i]; m < e; m++) sum += f(a.coefficients[ci + m] * kernels[kr + m]);
        const cj = i * a.vectorCount;
        for (let m = a.startingVector[j], e = m + a.vectorsPerClass[j]; m < e; m++) sum += f(a.coefficients[cj + m] * kernels[kr + m]);
        sum += a.rho[p];
        pairScores[p] = sum;
        votes[sum > 0 ? i : j]++;
      }
    }
    let best = 0;
    for (let i = 1; i < k; i++) if (votes[i] > votes[best]) best = i;
    classOf[row] = best;
    const o = row * width;
    if (r) {
      pairwiseProbabilities(k, pairScores, 0, a.probA, a.probB, r);
      multiclassProbability(k, r, z, o);
      transformRow(z, o, k, a.transform);
    } else if (k > 2) {
      z.set(pairScores, o);
      transformRow(z, o, pairs, a.transform);
    } else {
      // onnxruntime 1.30's two-column layout for one classifier score s
      const s = pairScores[0];
      switch (a.transform) {
        case 'PROBIT':
          // onnxruntime writes only the first column here and leaves the second unset
          z[o] = probit(s);
          z[o + 1] = 0;
          break;
        case 'LOGISTIC':
          z[o] = logistic(-s);
          z[o + 1] = logistic(s);
          break;
        case 'NONE':
          z[o] = -s;
          z[o + 1] = s;
          break;
        default:
          z[o] = 1 - s;
          z[o + 1] = s;
      }
    }
  }
  return classOf;
}

/** Scores rows in linear mode into z; returns the winning class index per row. */
function linearRows(a: SvmClassifierAttrs, x: ArrayLike<number>, n: number, c: number, z: Float32Array): Int32Array {
  const k = a.classes;
  kernelRows(a.kernel, x, n, c, a.coefficients, k, a.rho[0], z);
  const classOf = new Int32Array(n);
  for (let row = 0; row < n; row++) {
    const o = row * k;
    let best = 0;
    for (let j = 1; j < k; j++) if (z[o + j] > z[o + best]) best = j;
    const top = z[o + best];
    if (k === 2 && ((a.weightsAllPositive && top >= 0.5) || (!a.weightsAllPositive && top > 0))) best = 1;
    classOf[row] = best;
    if (k > 1) transformRow(z, o, k, a.transform);
    else if (a.transform === 'PROBIT') z[o] = probit(z[o]);
  }
  return classOf;
}
