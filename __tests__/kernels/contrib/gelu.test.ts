/** @jest-environment ./__tests__/support/ort-environment.js */
/** Gelu, BiasGelu, FastGelu, QuickGelu and BiasAdd of com.microsoft against onnxruntime-node. */
import { attr, node } from '../../support/onnx-builder';
import { biasAddKernel } from '../../../worker/runtime/kernels/contrib/bias-add';
import { fastGeluKernel } from '../../../worker/runtime/kernels/contrib/gelu';
import { KernelError } from '../../../worker/runtime/errors';
import { runKernel } from '../kernel-harness';
import { expectSameAsOrt } from '../../support/compare';
import { runOrt } from '../../support/ort-oracle';
import { caseModel, expectMatchesOrt, MS, seeded } from './ort-contrib';

describe('com.microsoft GELU family matches onnxruntime', () => {
  const X = seeded([2, 5, 12], -4, 4);
  const bias = seeded([12]);

  it('Gelu (erf)', () => expectMatchesOrt({ nodes: [node('Gelu', ['X'], ['Y'], {}, MS)], feeds: { X }, outputs: [['Y', 'float32']] }));

  it('BiasGelu adds the bias over the last dimension', () =>
    expectMatchesOrt({ nodes: [node('BiasGelu', ['X', 'B'], ['Y'], {}, MS)], feeds: { X }, initializers: { B: bias }, outputs: [['Y', 'float32']] }));

  it.each([
    ['without bias', false],
    ['with bias', true],
  ])('FastGelu %s', (_label, withBias) =>
    expectMatchesOrt({
      nodes: [node('FastGelu', withBias ? ['X', 'B'] : ['X'], ['Y'], {}, MS)],
      feeds: withBias ? { X, B: bias } : { X },
      outputs: [['Y', 'float32']],
    }));

  it.each([undefined, 1, -0.5])('QuickGelu with alpha %s', (alpha) =>
    expectMatchesOrt({
      nodes: [node('QuickGelu', ['X'], ['Y'], alpha === undefined ? {} : { alpha: attr.float(alpha) }, MS)],
      feeds: { X: seeded([3, 7], -30, 30) },
      outputs: [['Y', 'float32']],
    }));

  it('a bias that is not a vector over the last dimension is refused by name', () => {
    expect(() => runKernel(fastGeluKernel, [X, seeded([5])])).toThrow(KernelError);
    expect(() => runKernel(fastGeluKernel, [X, seeded([5])])).toThrow(/bias must be 1-D with X's last dimension 12/);
  });
});

describe('BiasAdd', () => {
  // onnxruntime implements BiasAdd for CUDA only; the same sum as two ai.onnx Adds is the reference.
  it('equals X + bias + skip as onnxruntime computes it with Add', async () => {
    const X = seeded([2, 3, 8]);
    const bias = seeded([8]);
    const skip = seeded([2, 3, 8]);
    const [y] = runKernel(biasAddKernel, [X, bias, skip]);
    const model = caseModel({ nodes: [node('Add', ['X', 'B'], ['T']), node('Add', ['T', 'S'], ['Y'])], feeds: { X, B: bias, S: skip }, outputs: [['Y', 'float32']] });
    expectSameAsOrt('Y', y, (await runOrt(model, { X, B: bias, S: skip })).Y);
  });

  it('refuses a skip of another shape', () => {
    expect(() => runKernel(biasAddKernel, [seeded([2, 3, 8]), seeded([8]), seeded([1, 3, 8])])).toThrow(/skip must have shape \[2, 3, 8\]/);
  });
});
