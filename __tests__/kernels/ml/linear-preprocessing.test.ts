/** @jest-environment ./__tests__/support/ort-environment.js */
import { attr, input, mapOutput, node, output, tensor, type AttrSpec } from '../../support/onnx-builder';
import { Random } from '../../../models/lib/random';
import { Tensor } from '../../../worker/runtime/tensor';
import { checkAgainstOrt, ML } from './ml-check';

const rng = new Random(99);
const randoms = (n: number, lo = -2, hi = 2) => Array.from({ length: n }, () => Math.fround(rng.uniform(lo, hi)));

function single(op: string, attributes: Record<string, AttrSpec>, x: Tensor, outType: 'float32' | 'int64' | 'string' | 'float64', outputs = ['Y']) {
  return {
    opsets: { '': 17, [ML]: 3 },
    inputs: [input('X', x.dtype, x.shape.map((d, i) => (i === 0 && x.rank > 1 ? 'N' : d)))],
    outputs: outputs.map((name, i) => output(name, i === outputs.length - 1 ? outType : outputs.length > 1 ? (outType === 'float32' ? 'int64' : outType) : outType, null)),
    nodes: [node(op, ['X'], outputs, attributes, ML)],
  };
}

describe('LinearClassifier and LinearRegressor against onnxruntime', () => {
  const X = tensor('float32', [20, 4], randoms(80));

  for (const transform of ['NONE', 'LOGISTIC', 'SOFTMAX', 'SOFTMAX_ZERO']) {
    it(`three classes, ${transform}, int64 and string labels`, async () => {
      const base = { coefficients: attr.floats(randoms(12)), intercepts: attr.floats(randoms(3)), post_transform: attr.string(transform) };
      const choices: Record<string, AttrSpec>[] = [{ classlabels_ints: attr.ints([5, 6, 7]) }, { classlabels_strings: attr.strings(['a', 'b', 'c']) }];
      for (const labels of choices) {
        const spec = {
          opsets: { '': 17, [ML]: 1 },
          inputs: [input('X', 'float32', ['N', 4])],
          outputs: [output('label', 'classlabels_ints' in labels ? 'int64' : 'string', ['N']), output('scores', 'float32', ['N', 3])],
          nodes: [node('LinearClassifier', ['X'], ['label', 'scores'], { ...base, ...labels }, ML)],
        } as const;
        await checkAgainstOrt(spec, { X });
      }
    });
  }

  it('binary with one coefficient row: label by sign, scores [1 - s, s]', async () => {
    const spec = {
      opsets: { '': 17, [ML]: 1 },
      inputs: [input('X', 'float32', ['N', 4])],
      outputs: [output('label', 'int64', ['N']), output('scores', 'float32', ['N', 2])],
      nodes: [node('LinearClassifier', ['X'], ['label', 'scores'], { coefficients: attr.floats(randoms(4)), intercepts: attr.floats([0.1]), classlabels_ints: attr.ints([0, 1]) }, ML)],
    };
    await checkAgainstOrt(spec, { X });
  });

  for (const [targets, transform] of [[1, 'NONE'], [3, 'NONE'], [3, 'SOFTMAX'], [2, 'LOGISTIC']] as const) {
    it(`regressor, ${targets} target(s), ${transform}`, async () => {
      const spec = {
        opsets: { '': 17, [ML]: 1 },
        inputs: [input('X', 'float32', ['N', 4])],
        outputs: [output('Y', 'float32', ['N', targets])],
        nodes: [node('LinearRegressor', ['X'], ['Y'], { coefficients: attr.floats(randoms(4 * targets)), intercepts: attr.floats(randoms(targets)), targets: attr.int(targets), post_transform: attr.string(transform) }, ML)],
      };
      await checkAgainstOrt(spec, { X });
    });
  }
});

describe('Scaler, Normalizer, Binarizer, Imputer against onnxruntime', () => {
  const X = tensor('float32', [6, 3], [1, -2, 3, 0, 0, 0, -4, 5, -6, 0.5, 0.25, -0.125, 7, 7, 7, -1, -1, -1]);

  it('Scaler with per-feature and broadcast offset/scale, float and double inputs', async () => {
    await checkAgainstOrt(single('Scaler', { offset: attr.floats([1, 2, 3]), scale: attr.floats([0.5, -2, 4]) }, X, 'float32'), { X });
    await checkAgainstOrt(single('Scaler', { offset: attr.floats([1]), scale: attr.floats([3]) }, X, 'float32'), { X });
    const Xd = new Tensor('float64', X.shape, Float64Array.from(X.data));
    await checkAgainstOrt(single('Scaler', { offset: attr.floats([0.5]), scale: attr.floats([2]) }, Xd, 'float32'), { X: Xd });
  });

  for (const norm of ['MAX', 'L1', 'L2']) {
    it(`Normalizer ${norm} (rows of zeros stay zero)`, async () => {
      await checkAgainstOrt(single('Normalizer', { norm: attr.string(norm) }, X, 'float32'), { X });
    });
  }

  it('Binarizer', async () => {
    await checkAgainstOrt(single('Binarizer', { threshold: attr.float(0.25) }, X, 'float32'), { X });
  });

  it('Imputer replaces NaN (floats, per feature) and a sentinel (int64, one value)', async () => {
    const Xn = tensor('float32', [3, 3], [NaN, 1, 2, 3, NaN, NaN, 0, 0, 0]);
    await checkAgainstOrt(single('Imputer', { imputed_value_floats: attr.floats([10, 20, 30]), replaced_value_float: attr.float(NaN) }, Xn, 'float32'), { X: Xn });
    const Xi = tensor('int64', [2, 3], [-1, 4, -1, 5, 6, -1]);
    await checkAgainstOrt(single('Imputer', { imputed_value_int64s: attr.ints([99]), replaced_value_int64: attr.int(-1) }, Xi, 'int64'), { X: Xi });
  });
});

describe('a scikit-learn style pipeline: Scaler -> LinearClassifier -> ZipMap', () => {
  it('gives the label and the per-class probability maps onnxruntime gives', async () => {
    const labels = ['setosa', 'versicolor', 'virginica'];
    const spec = {
      opsets: { '': 17, [ML]: 1 },
      inputs: [input('input', 'float32', ['N', 4])],
      outputs: [output('label', 'string', ['N']), mapOutput('probabilities', 'string')],
      nodes: [
        node('Scaler', ['input'], ['scaled'], { offset: attr.floats([5.8, 3.0, 3.7, 1.2]), scale: attr.floats([1.2, 2.3, 0.57, 1.3]) }, ML),
        node('LinearClassifier', ['scaled'], ['label', 'scores'], {
          coefficients: attr.floats(randoms(12)),
          intercepts: attr.floats(randoms(3)),
          classlabels_strings: attr.strings(labels),
          post_transform: attr.string('SOFTMAX'),
          multi_class: attr.int(1),
        }, ML),
        node('ZipMap', ['scores'], ['probabilities'], { classlabels_strings: attr.strings(labels) }, ML),
      ],
    };
    const ours = await checkAgainstOrt(spec, { input: tensor('float32', [5, 4], randoms(20, 0, 8)) });
    expect(ours.probabilities.shape).toEqual([5, 3]);
  });
});
