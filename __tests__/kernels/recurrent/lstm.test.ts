import { lstmKernel } from '../../../worker/runtime/kernels/recurrent/lstm';
import { KernelError, ModelError } from '../../../worker/runtime/errors';
import { Tensor } from '../../../worker/runtime/tensor';
import { expectClose, parseAttributes, runKernel } from '../normalization/harness';
import { runCase, type CaseConfig } from './recurrent-cases';

const cases: [string, CaseConfig][] = [
  ['defaults, one step, no bias', { seq: 1, batch: 3, input: 2, hidden: 3 }],
  ['forward with bias over several steps', { seq: 5, batch: 2, input: 3, hidden: 4, bias: true }],
  ['reverse with sequence_lens', { seq: 4, batch: 3, input: 2, hidden: 5, direction: 'reverse', bias: true, seqLens: [4, 2, 3] }],
  [
    'bidirectional with initial state, peepholes and sequence_lens',
    { seq: 4, batch: 3, input: 3, hidden: 5, direction: 'bidirectional', bias: true, initialH: true, initialC: true, peepholes: true, seqLens: [3, 4, 1] },
  ],
  [
    'layout 1 (batch-major), bidirectional',
    { seq: 3, batch: 2, input: 4, hidden: 3, direction: 'bidirectional', layout: 1, bias: true, initialH: true, initialC: true, seqLens: [2, 3] },
  ],
  [
    'activations with alpha/beta, clip and input_forget',
    {
      seq: 3, batch: 2, input: 2, hidden: 4, bias: true, clip: 0.7, inputForget: true,
      acts: [[{ name: 'HardSigmoid', alpha: 0.3, beta: 0.4 }, { name: 'LeakyRelu', alpha: 0.2 }, { name: 'Softsign' }]],
    },
  ],
  [
    'every other activation kind across two directions',
    {
      seq: 3, batch: 2, input: 3, hidden: 3, direction: 'bidirectional', bias: true,
      acts: [
        [{ name: 'sigmoid' }, { name: 'Affine', alpha: 0.5, beta: 0.1 }, { name: 'ScaledTanh', alpha: 1.2, beta: 0.7 }],
        [{ name: 'HardSigmoid', alpha: 0.25, beta: 0.45 }, { name: 'Elu', alpha: 0.9 }, { name: 'Softplus' }],
      ],
    },
  ],
  ['a batch entry of length 0', { seq: 3, batch: 3, input: 2, hidden: 3, direction: 'bidirectional', initialH: true, initialC: true, seqLens: [3, 0, 2] }],
  ['float64', { seq: 3, batch: 2, input: 3, hidden: 4, bias: true, initialH: true, dtype: 'float64' }],
  ['hidden size not a multiple of four', { seq: 2, batch: 1, input: 5, hidden: 7, bias: true, peepholes: true }],
];

describe('LSTM', () => {
  it.each(cases)('%s matches the reference', (_name, config) => {
    const { actual, want } = runCase(lstmKernel, 'LSTM', config);
    const tol = config.dtype === 'float64' ? 1e-12 : 1e-5;
    expectClose(actual[0], want.y, tol, tol);
    expectClose(actual[1], want.yh, tol, tol);
    expectClose(actual[2], want.yc, tol, tol);
    expect(actual[0].dtype).toBe(config.dtype ?? 'float32');
  });

  it('leaves Y out when its output name is empty', () => {
    const { actual, want } = runCase(lstmKernel, 'LSTM', { seq: 2, batch: 2, input: 2, hidden: 3, outputs: ['', 'Y_h'] });
    expect(actual).toHaveLength(2);
    expect(actual[0].size).toBe(0);
    expectClose(actual[1], want.yh);
  });

  it('handles ThresholdedRelu and Relu', () => {
    const { actual, want } = runCase(lstmKernel, 'LSTM', {
      seq: 3, batch: 2, input: 2, hidden: 2, bias: true,
      acts: [[{ name: 'Sigmoid' }, { name: 'ThresholdedRelu', alpha: 0.1 }, { name: 'Relu' }]],
    });
    expectClose(actual[0], want.y);
  });

  describe('errors', () => {
    const x = Tensor.zeros('float32', [2, 1, 3]);
    const w = Tensor.zeros('float32', [1, 8, 3]);
    const r = Tensor.zeros('float32', [1, 8, 2]);

    it('names a W of the wrong shape', () => {
      const badW = Tensor.zeros('float32', [1, 8, 4]);
      expect(() => runKernel(lstmKernel, [x, badW, r], { attributes: { hidden_size: 2 } })).toThrow(KernelError);
      expect(() => runKernel(lstmKernel, [x, badW, r], { attributes: { hidden_size: 2 } })).toThrow(/input W must have shape \[1, 8, 3\], got \[1, 8, 4\]/);
    });

    it('takes hidden_size from R when the attribute is absent', () => {
      const [, yh] = runKernel(lstmKernel, [x, w, r], { outputs: ['', 'Y_h'] });
      expect(yh.shape).toEqual([1, 1, 2]);
    });

    it('rejects sequence_lens beyond the sequence, and the wrong P', () => {
      const lens = Tensor.from('int32', [1], [3]);
      expect(() => runKernel(lstmKernel, [x, w, r, undefined, lens], { attributes: { hidden_size: 2 } })).toThrow(/sequence_lens\[0\] = 3 is outside 0..2/);
      const p = Tensor.zeros('float32', [1, 4]);
      expect(() => runKernel(lstmKernel, [x, w, r, undefined, undefined, undefined, undefined, p], { attributes: { hidden_size: 2 } })).toThrow(
        /input P must have shape \[1, 6\], got \[1, 4\]/,
      );
    });

    it('rejects mixed float types and a rank-2 X', () => {
      const w64 = Tensor.zeros('float64', [1, 8, 3]);
      expect(() => runKernel(lstmKernel, [x, w64, r], { attributes: { hidden_size: 2 } })).toThrow(/input W is float64 but X is float32/);
      expect(() => runKernel(lstmKernel, [Tensor.zeros('float32', [2, 3]), w, r], { attributes: { hidden_size: 2 } })).toThrow(/input X must have rank 3/);
    });

    it('rejects unknown activations, wrong counts, a bad direction and a bad layout at load', () => {
      expect(() => parseAttributes(lstmKernel, { attributes: { activations: ['Sigmoid', 'Tanh', 'Gelu'] } })).toThrow(ModelError);
      expect(() => parseAttributes(lstmKernel, { attributes: { activations: ['Sigmoid', 'Tanh', 'Gelu'] } })).toThrow(/activation "Gelu" is not supported/);
      expect(() => parseAttributes(lstmKernel, { attributes: { activations: ['Sigmoid', 'Tanh'] } })).toThrow(/must list 3 functions \(3 per direction\), got 2/);
      expect(() => parseAttributes(lstmKernel, { attributes: { direction: 'sideways' } })).toThrow(/"direction" is "sideways"; supported: forward, reverse, bidirectional/);
      expect(() => parseAttributes(lstmKernel, { attributes: { layout: 2 }, opset: 14 })).toThrow(/"layout" must be 0/);
      expect(() => parseAttributes(lstmKernel, { attributes: { clip: -1 } })).toThrow(/"clip" must be a positive threshold/);
    });

    it('reuses one list of activations for both directions', () => {
      const attrs = parseAttributes(lstmKernel, { attributes: { direction: 'bidirectional', activations: ['Sigmoid', 'Relu', 'Tanh'] } }) as {
        activations: { kind: string }[][];
      };
      expect(attrs.activations.map((a) => a.map((x) => x.kind))).toEqual([
        ['sigmoid', 'relu', 'tanh'],
        ['sigmoid', 'relu', 'tanh'],
      ]);
    });
  });
});
