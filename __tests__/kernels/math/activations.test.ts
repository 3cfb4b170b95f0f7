import { ModelError } from '../../../worker/runtime/errors';
import {
  eluKernel, geluKernel, hardSigmoidKernel, hardSwishKernel, leakyReluKernel, pReluKernel, reluKernel, seluKernel, sigmoidKernel, softplusKernel, softsignKernel,
} from '../../../worker/runtime/kernels/math/activations';
import { erf } from '../../../worker/runtime/kernels/math/erf';
import { f32, f64, i64, parseKernelAttributes, run1, values } from '../kernel-harness';

const xs = [-3, -0.5, 0, 0.5, 3];
const x64 = () => f64([5], xs);

function expectClose(actual: (number | string)[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(v as number).toBeCloseTo(expected[i], 12));
}

describe('activations', () => {
  it('Relu on floats and int64', () => {
    expect(values(run1(reluKernel, [x64()]))).toEqual([0, 0, 0, 0.5, 3]);
    expect(values(run1(reluKernel, [i64([2], [-5, 5])]))).toEqual([0, 5]);
  });

  it('LeakyRelu, Elu and Selu with default and given attributes', () => {
    expectClose(values(run1(leakyReluKernel, [x64()])), xs.map((v) => (v >= 0 ? v : 0.01 * v)));
    expectClose(values(run1(leakyReluKernel, [x64()], { attributes: { alpha: 0.1 } })), xs.map((v) => (v >= 0 ? v : 0.1 * v)));
    expectClose(values(run1(eluKernel, [x64()], { attributes: { alpha: 2 } })), xs.map((v) => (v >= 0 ? v : 2 * (Math.exp(v) - 1))));
    const a = 1.67326319217681884765625;
    const g = 1.05070102214813232421875;
    expectClose(values(run1(seluKernel, [x64()])), xs.map((v) => (v > 0 ? g * v : g * a * (Math.exp(v) - 1))));
  });

  it('Sigmoid is stable for large magnitudes', () => {
    expectClose(values(run1(sigmoidKernel, [x64()])), xs.map((v) => 1 / (1 + Math.exp(-v))));
    expect(values(run1(sigmoidKernel, [f64([2], [-1000, 1000])]))).toEqual([0, 1]);
  });

  it('HardSigmoid, HardSwish, Softplus, Softsign', () => {
    expectClose(values(run1(hardSigmoidKernel, [x64()], { attributes: { alpha: 0.5, beta: 0.6 } })), xs.map((v) => Math.max(0, Math.min(1, 0.5 * v + 0.6))));
    expectClose(values(run1(hardSwishKernel, [x64()])), xs.map((v) => v * Math.max(0, Math.min(1, v / 6 + 0.5))));
    expectClose(values(run1(softplusKernel, [x64()])), xs.map((v) => Math.log(1 + Math.exp(v))));
    expect(values(run1(softplusKernel, [f64([1], [1000])]))).toEqual([1000]);
    expectClose(values(run1(softsignKernel, [x64()])), xs.map((v) => v / (1 + Math.abs(v))));
  });

  it('Gelu exact and tanh-approximated', () => {
    expectClose(values(run1(geluKernel, [x64()])), xs.map((v) => 0.5 * v * (1 + erf(v / Math.SQRT2))));
    const c = Math.sqrt(2 / Math.PI);
    expectClose(values(run1(geluKernel, [x64()], { attributes: { approximate: 'tanh' } })), xs.map((v) => 0.5 * v * (1 + Math.tanh(c * (v + 0.044715 * v ** 3)))));
    expect(() => parseKernelAttributes(geluKernel, { approximate: 'fast' })).toThrow(ModelError);
    expect(() => parseKernelAttributes(geluKernel, { approximate: 'fast' })).toThrow(/attribute "approximate" is "fast"; supported: none, tanh/);
  });

  it('rejects a non-numeric alpha', () => {
    expect(() => parseKernelAttributes(leakyReluKernel, { alpha: 'x' })).toThrow(/attribute "alpha" must be a number/);
  });
});

describe('PRelu', () => {
  it('broadcasts a per-channel slope onto X', () => {
    const x = f32([1, 2, 2], [-1, 2, -3, 4]);
    expect(values(run1(pReluKernel, [x, f32([2, 1], [0.5, 0.25])]))).toEqual([-0.5, 2, -0.75, 4]);
    expect(values(run1(pReluKernel, [f32([2, 2], [-4, -4, 1, 1]), f32([2], [0.5, 1])]))).toEqual([-2, -4, 1, 1]);
  });

  it('refuses a slope that would grow X', () => {
    expect(() => run1(pReluKernel, [f32([2], [1, 2]), f32([2, 2], [1, 1, 1, 1])])).toThrow(
      /PRelu node "n0": slope of shape \[2, 2\] does not broadcast to X of shape \[2\]/,
    );
  });
});
