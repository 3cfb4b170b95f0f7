import { gruKernel } from '../../../worker/runtime/kernels/recurrent/gru';
import { KernelError } from '../../../worker/runtime/errors';
import { Tensor } from '../../../worker/runtime/tensor';
import { expectClose, runKernel } from '../normalization/harness';
import { runCase, type CaseConfig } from './recurrent-cases';

const cases: [string, CaseConfig][] = [
  ['defaults, no bias', { seq: 1, batch: 3, input: 2, hidden: 5 }],
  ['forward with bias', { seq: 4, batch: 2, input: 3, hidden: 3, bias: true }],
  ['linear_before_reset', { seq: 4, batch: 2, input: 3, hidden: 4, bias: true, linearBeforeReset: true }],
  ['reverse with sequence_lens', { seq: 4, batch: 3, input: 2, hidden: 5, direction: 'reverse', bias: true, seqLens: [1, 4, 2] }],
  [
    'bidirectional, initial_h, sequence_lens, linear_before_reset',
    { seq: 5, batch: 3, input: 3, hidden: 6, direction: 'bidirectional', bias: true, initialH: true, seqLens: [5, 2, 3], linearBeforeReset: true },
  ],
  ['layout 1, bidirectional', { seq: 3, batch: 2, input: 2, hidden: 6, direction: 'bidirectional', layout: 1, bias: true, initialH: true }],
  [
    'custom activations and clip',
    {
      seq: 3, batch: 2, input: 2, hidden: 3, bias: true, clip: 0.5, direction: 'bidirectional',
      acts: [
        [{ name: 'HardSigmoid', alpha: 0.3, beta: 0.6 }, { name: 'Relu' }],
        [{ name: 'Sigmoid' }, { name: 'ScaledTanh', alpha: 0.8, beta: 1.3 }],
      ],
    },
  ],
  ['float64', { seq: 3, batch: 2, input: 3, hidden: 4, bias: true, initialH: true, dtype: 'float64', linearBeforeReset: true }],
];

describe('GRU', () => {
  it.each(cases)('%s matches the reference', (_name, config) => {
    const { actual, want } = runCase(gruKernel, 'GRU', config);
    const tol = config.dtype === 'float64' ? 1e-12 : 1e-5;
    expectClose(actual[0], want.y, tol, tol);
    expectClose(actual[1], want.yh, tol, tol);
  });

  it('returns Y_h only when Y is omitted', () => {
    const { actual, want } = runCase(gruKernel, 'GRU', { seq: 3, batch: 1, input: 2, hidden: 3, bias: true, outputs: ['', 'Y_h'] });
    expect(actual[0].size).toBe(0);
    expectClose(actual[1], want.yh);
  });

  it('names a B of the wrong shape', () => {
    const x = Tensor.zeros('float32', [2, 1, 3]);
    const w = Tensor.zeros('float32', [1, 6, 3]);
    const r = Tensor.zeros('float32', [1, 6, 2]);
    const b = Tensor.zeros('float32', [1, 6]);
    expect(() => runKernel(gruKernel, [x, w, r, b], { attributes: { hidden_size: 2 } })).toThrow(KernelError);
    expect(() => runKernel(gruKernel, [x, w, r, b], { attributes: { hidden_size: 2 } })).toThrow(/input B must have shape \[1, 12\], got \[1, 6\]/);
  });
});
