/** @jest-environment ./__tests__/support/ort-environment.js */
import { attr, input, node, output, tensor, type AttrSpec } from '../../support/onnx-builder';
import { Random } from '../../../models/lib/random';
import { AttributeReader } from '../../../worker/runtime/kernel';
import { svmClassifierKernel } from '../../../worker/runtime/kernels/ml/svm-classifier';
import { svmRegressorKernel } from '../../../worker/runtime/kernels/ml/svm-regressor';
import { Tensor } from '../../../worker/runtime/tensor';
import { checkAgainstOrt, ML } from './ml-check';

const rng = new Random(2024);
const randoms = (n: number, lo = -2, hi = 2) => Array.from({ length: n }, () => Math.fround(rng.uniform(lo, hi)));

const FEATURES = 4;
const X = tensor('float32', [25, FEATURES], randoms(25 * FEATURES));

const KERNELS: Record<string, number[]> = {
  LINEAR: [0, 0, 0],
  POLY: [0.3, 0.5, 3],
  RBF: [0.4, 0, 0],
  SIGMOID: [0.2, 0.1, 0],
};

/** A "trained-like" SVC: random support vectors per class, dual coefficients and intercepts. */
function svc(classes: number, kernelType: string, opts: { proba?: boolean; strings?: boolean; transform?: string } = {}): Record<string, AttrSpec> {
  const perClass = Array.from({ length: classes }, () => 2 + rng.int(3));
  const vectors = perClass.reduce((s, v) => s + v, 0);
  const pairs = (classes * (classes - 1)) / 2;
  const attrs: Record<string, AttrSpec> = {
    kernel_type: attr.string(kernelType),
    kernel_params: attr.floats(KERNELS[kernelType]),
    vectors_per_class: attr.ints(perClass),
    support_vectors: attr.floats(randoms(vectors * FEATURES)),
    coefficients: attr.floats(randoms((classes - 1) * vectors, -1.5, 1.5)),
    rho: attr.floats(randoms(pairs, -0.5, 0.5)),
    post_transform: attr.string(opts.transform ?? 'NONE'),
  };
  if (opts.proba) {
    attrs.prob_a = attr.floats(randoms(pairs, -3, -0.5));
    attrs.prob_b = attr.floats(randoms(pairs, -0.3, 0.3));
  }
  const labels = Array.from({ length: classes }, (_, i) => i * 10 + 3);
  if (opts.strings) attrs.classlabels_strings = attr.strings(labels.map((l) => `class_${l}`));
  else attrs.classlabels_ints = attr.ints(labels);
  return attrs;
}

function classifierSpec(attributes: Record<string, AttrSpec>, x: Tensor = X) {
  return {
    opsets: { '': 17, [ML]: 1 },
    inputs: [input('X', x.dtype, ['N', FEATURES])],
    outputs: [output('label', 'classlabels_strings' in attributes ? 'string' : 'int64', ['N']), output('scores', 'float32', null)],
    nodes: [node('SVMClassifier', ['X'], ['label', 'scores'], attributes, ML)],
  } as const;
}

describe('SVMClassifier against onnxruntime', () => {
  for (const kernelType of Object.keys(KERNELS)) {
    for (const classes of [2, 3, 4]) {
      it(`${kernelType}, ${classes} classes: one-vs-one votes and pairwise scores`, async () => {
        await checkAgainstOrt(classifierSpec(svc(classes, kernelType)), { X });
      });
      it(`${kernelType}, ${classes} classes with Platt scaling (prob_a/prob_b), string labels`, async () => {
        await checkAgainstOrt(classifierSpec(svc(classes, kernelType, { proba: true, strings: true })), { X });
      });
    }
  }

  for (const transform of ['LOGISTIC', 'SOFTMAX', 'SOFTMAX_ZERO', 'PROBIT']) {
    for (const classes of [2, 3]) {
      it(`post_transform ${transform}, ${classes} classes, with and without probabilities`, async () => {
        // PROBIT on one binary score: onnxruntime leaves the second column unset
        if (transform !== 'PROBIT' || classes > 2) await checkAgainstOrt(classifierSpec(svc(classes, 'RBF', { transform })), { X });
        await checkAgainstOrt(classifierSpec(svc(classes, 'RBF', { transform, proba: true })), { X });
      });
    }
  }

  it('double, int32 and int64 inputs are scored as float32', async () => {
    const attributes = svc(3, 'POLY');
    const ints = randoms(25 * FEATURES, -3, 3).map(Math.round);
    for (const x of [new Tensor('float64', X.shape, Float64Array.from(X.data as Float32Array)), tensor('int32', X.shape, ints), tensor('int64', X.shape, ints)]) {
      await checkAgainstOrt(classifierSpec(attributes, x), { X: x });
    }
  });

  for (const [classes, positive] of [[2, true], [2, false], [3, false]] as const) {
    it(`linear mode (no support vectors), ${classes} classes, ${positive ? 'all-positive' : 'mixed'} weights`, async () => {
      const attributes: Record<string, AttrSpec> = {
        kernel_type: attr.string('LINEAR'),
        kernel_params: attr.floats([0, 0, 0]),
        coefficients: attr.floats(randoms(classes * FEATURES, positive ? 0 : -1, positive ? 0.3 : 1)),
        rho: attr.floats([0.05]),
        classlabels_ints: attr.ints(Array.from({ length: classes }, (_, i) => i)),
      };
      await checkAgainstOrt(classifierSpec(attributes), { X });
      await checkAgainstOrt(classifierSpec({ ...attributes, post_transform: attr.string('SOFTMAX') }), { X });
    });
  }

  it('a single row given as a 1-D input', async () => {
    const x = tensor('float32', [FEATURES], [0.5, -1, 1.5, 0.25]);
    const spec = { ...classifierSpec(svc(3, 'RBF', { proba: true })), inputs: [input('X', 'float32', [FEATURES])] };
    await checkAgainstOrt(spec, { X: x });
  });
});

describe('SVMRegressor against onnxruntime', () => {
  for (const kernelType of Object.keys(KERNELS)) {
    it(`${kernelType} kernel, and as a one-class SVM`, async () => {
      const vectors = 7;
      const attributes: Record<string, AttrSpec> = {
        kernel_type: attr.string(kernelType),
        kernel_params: attr.floats(KERNELS[kernelType]),
        n_supports: attr.int(vectors),
        support_vectors: attr.floats(randoms(vectors * FEATURES)),
        coefficients: attr.floats(randoms(vectors, -1, 1)),
        rho: attr.floats([0.3]),
      };
      for (const extra of [{}, { one_class: attr.int(1) }] as Record<string, AttrSpec>[]) {
        await checkAgainstOrt({
          opsets: { '': 17, [ML]: 1 },
          inputs: [input('X', 'float32', ['N', FEATURES])],
          outputs: [output('Y', 'float32', ['N', 1])],
          nodes: [node('SVMRegressor', ['X'], ['Y'], { ...attributes, ...extra }, ML)],
        }, { X });
      }
    });
  }

  it('linear mode: x·coefficients + rho', async () => {
    await checkAgainstOrt({
      opsets: { '': 17, [ML]: 1 },
      inputs: [input('X', 'float32', ['N', FEATURES])],
      outputs: [output('Y', 'float32', ['N', 1])],
      nodes: [node('SVMRegressor', ['X'], ['Y'], { kernel_params: attr.floats([0, 0, 0]), coefficients: attr.floats(randoms(FEATURES)), rho: attr.floats([-0.7]) }, ML)],
    }, { X });
  });
});

describe('SVM attribute validation', () => {
  const reader = (op: string, attributes: Record<string, unknown>) =>
    new AttributeReader({ op, domain: ML, name: 'svm', inputs: ['X'], outputs: ['Y'], attributes: attributes as never });

  it('names inconsistent SVC sizes', () => {
    const base = { classlabels_ints: [0, 1, 2], vectors_per_class: [1, 1, 1], support_vectors: [1, 2, 3, 4, 5, 6], rho: [0, 0, 0], kernel_type: 'RBF', kernel_params: [1, 0, 0] };
    expect(() => svmClassifierKernel.attributes!(reader('SVMClassifier', { ...base, coefficients: [1, 2, 3] }), 1)).toThrow(/coefficients has 3 values; .* needs 6/);
    expect(() => svmClassifierKernel.attributes!(reader('SVMClassifier', { ...base, coefficients: [1, 2, 3, 4, 5, 6], rho: [0] }), 1)).toThrow(/rho has 1 values; 3 classes need one per class pair \(3\)/);
    expect(() => svmClassifierKernel.attributes!(reader('SVMClassifier', { ...base, coefficients: [1, 2, 3, 4, 5, 6], prob_a: [1, 1, 1] }), 1)).toThrow(/prob_a has 3 values but prob_b has 0/);
    expect(() => svmClassifierKernel.attributes!(reader('SVMClassifier', { ...base, coefficients: [1, 2, 3, 4, 5, 6], kernel_type: 'CUBIC' }), 1)).toThrow(/kernel_type.*supported: LINEAR, POLY, RBF, SIGMOID/);
    expect(() => svmClassifierKernel.attributes!(reader('SVMClassifier', { coefficients: [1], rho: [0] }), 1)).toThrow(/class labels are missing/);
  });

  it('names inconsistent regressor sizes', () => {
    expect(() => svmRegressorKernel.attributes!(reader('SVMRegressor', { n_supports: 2, support_vectors: [1, 2, 3], coefficients: [1, 1], rho: [0] }), 1)).toThrow(/support_vectors has 3 values, not a positive multiple of n_supports \(2\)/);
    expect(() => svmRegressorKernel.attributes!(reader('SVMRegressor', { coefficients: [1, 1] }), 1)).toThrow(/"rho" is required/);
  });
});
