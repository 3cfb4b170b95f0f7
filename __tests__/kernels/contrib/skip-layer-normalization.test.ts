/** @jest-environment ./__tests__/support/ort-environment.js */
/** SkipLayerNormalization and SkipSimplifiedLayerNormalization against onnxruntime-node. */
import { attr, node } from '../../support/onnx-builder';
import { skipLayerNormalizationKernel } from '../../../worker/runtime/kernels/contrib/skip-layer-normalization';
import { runKernel } from '../kernel-harness';
import { expectMatchesOrt, MS, seeded } from './ort-contrib';

const H = 16;
const X = seeded([2, 4, H], -2, 2);
const skip = seeded([2, 4, H]);
const gamma = seeded([H], 0.5, 1.5);
const beta = seeded([H]);
const bias = seeded([H]);

describe('SkipLayerNormalization matches onnxruntime', () => {
  it('with beta and bias, every optional output', () =>
    expectMatchesOrt({
      nodes: [node('SkipLayerNormalization', ['X', 'S', 'G', 'B', 'bias'], ['Y', 'mean', 'inv', 'sum'], { epsilon: attr.float(1e-5) }, MS)],
      feeds: { X, S: skip },
      initializers: { G: gamma, B: beta, bias },
      outputs: [['Y', 'float32'], ['mean', 'float32'], ['inv', 'float32'], ['sum', 'float32']],
    }));

  it('without beta and bias, default epsilon, skip broadcast over the batch', () =>
    expectMatchesOrt({
      nodes: [node('SkipLayerNormalization', ['X', 'S', 'G'], ['Y'], {}, MS)],
      feeds: { X, S: seeded([1, 4, H]) },
      initializers: { G: gamma },
      outputs: [['Y', 'float32']],
    }));

  it('bias without beta (an empty input name), only the sum output besides Y', () =>
    expectMatchesOrt({
      nodes: [node('SkipLayerNormalization', ['X', 'S', 'G', '', 'bias'], ['Y', '', '', 'sum'], { epsilon: attr.float(1e-6) }, MS)],
      feeds: { X, S: seeded([4, H]) },
      initializers: { G: gamma, bias },
      outputs: [['Y', 'float32'], ['sum', 'float32']],
    }));

  it('refuses a skip that does not broadcast, naming both shapes', () => {
    expect(() => runKernel(skipLayerNormalizationKernel, [X, seeded([3, H]), gamma])).toThrow(/skip \[3, 16\] must have input's shape \[2, 4, 16\]/);
  });
});

describe('SkipSimplifiedLayerNormalization matches onnxruntime', () => {
  it('with bias, inv_std_var and the sum', () =>
    expectMatchesOrt({
      nodes: [node('SkipSimplifiedLayerNormalization', ['X', 'S', 'G', 'bias'], ['Y', '', 'inv', 'sum'], { epsilon: attr.float(1e-6) }, MS)],
      feeds: { X, S: skip },
      initializers: { G: gamma, bias },
      outputs: [['Y', 'float32'], ['inv', 'float32'], ['sum', 'float32']],
    }));

  it('without bias', () =>
    expectMatchesOrt({
      nodes: [node('SkipSimplifiedLayerNormalization', ['X', 'S', 'G'], ['Y'], {}, MS)],
      feeds: { X, S: skip },
      initializers: { G: gamma },
      outputs: [['Y', 'float32']],
    }));
});
