import { rnnKernel } from '../../../worker/runtime/kernels/recurrent/rnn';
import { expectClose } from '../normalization/harness';
import { runCase, type CaseConfig } from './recurrent-cases';

const cases: [string, CaseConfig][] = [
  ['defaults', { seq: 1, batch: 3, input: 2, hidden: 4 }],
  ['bidirectional with bias, initial_h and sequence_lens', { seq: 4, batch: 3, input: 3, hidden: 5, direction: 'bidirectional', bias: true, initialH: true, seqLens: [2, 4, 3] }],
  ['layout 1, reverse, Relu with clip', { seq: 3, batch: 2, input: 2, hidden: 3, direction: 'reverse', layout: 1, bias: true, clip: 0.8, acts: [[{ name: 'Relu' }]] }],
];

describe('RNN', () => {
  it.each(cases)('%s matches the reference', (_name, config) => {
    const { actual, want } = runCase(rnnKernel, 'RNN', config);
    expectClose(actual[0], want.y);
    expectClose(actual[1], want.yh);
  });
});
