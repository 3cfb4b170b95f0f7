/** @jest-environment ./__tests__/support/ort-environment.js */
/** FusedConv (com.microsoft) against onnxruntime-node: each activation, its parameters, the Z sum. */
import { fusedConvKernel } from '../../../worker/runtime/kernels/contrib/fused-conv';
import { ModelError } from '../../../worker/runtime/errors';
import { attr, node, type AttrSpec } from '../../support/onnx-builder';
import { parseKernelAttributes } from '../kernel-harness';
import { expectMatchesOrt, MS, seeded } from './ort-contrib';

const X = seeded([2, 4, 7, 6], -2, 2);
const W = seeded([6, 2, 3, 3], -0.5, 0.5);
const B = seeded([6]);
const conv = { group: attr.int(2), pads: attr.ints([1, 0, 1, 1]), strides: attr.ints([1, 2]) };

function fused(attributes: Record<string, AttrSpec>, withZ = false) {
  return expectMatchesOrt({
    nodes: [node('FusedConv', withZ ? ['X', 'W', 'B', 'Z'] : ['X', 'W', 'B'], ['Y'], { ...conv, ...attributes }, MS)],
    feeds: withZ ? { X, Z: seeded([2, 6, 7, 3]) } : { X },
    initializers: { W, B },
    outputs: [['Y', 'float32']],
  });
}

describe('FusedConv matches onnxruntime', () => {
  it.each(['Relu', 'Tanh', 'Sigmoid'])('%s', (activation) => fused({ activation: attr.string(activation) }));
  it('LeakyRelu with alpha', () => fused({ activation: attr.string('LeakyRelu'), activation_params: attr.floats([0.2]) }));
  it('Clip with bounds', () => fused({ activation: attr.string('Clip'), activation_params: attr.floats([-0.5, 0.75]) }));
  it('HardSigmoid after the Z sum', () => fused({ activation: attr.string('HardSigmoid'), activation_params: attr.floats([0.3, 0.4]) }, true));
  it('Relu after the Z sum', () => fused({ activation: attr.string('Relu') }, true));

  it('names an unknown activation', () => {
    expect(() => parseKernelAttributes(fusedConvKernel, { activation: 'Gelu' })).toThrow(ModelError);
    expect(() => parseKernelAttributes(fusedConvKernel, { activation: 'Gelu' })).toThrow(/supported: Relu, Tanh, Sigmoid, LeakyRelu, Clip, HardSigmoid/);
  });
});
