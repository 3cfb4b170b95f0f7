/**
 * The recurrent kernels with the WebAssembly GEMM installed: products of m*n*k >= 4096 take the
 * shared SIMD path (and, for constant weights, its packed-weight cache), which must agree with the
 * reference just as the JavaScript path does.
 */
import { installWasmKernels } from '../../../lib/wasm-module';
import { gruKernel } from '../../../worker/runtime/kernels/recurrent/gru';
import { lstmKernel } from '../../../worker/runtime/kernels/recurrent/lstm';
import { rnnKernel } from '../../../worker/runtime/kernels/recurrent/rnn';
import { useWasmKernels } from '../../../worker/runtime/wasm';
import { expectClose } from '../normalization/harness';
import { runCase, type CaseConfig } from './recurrent-cases';

beforeAll(() => installWasmKernels());
afterAll(() => useWasmKernels(null));

const big: CaseConfig = { seq: 5, batch: 4, input: 20, hidden: 17, bias: true, initialH: true, direction: 'bidirectional', seqLens: [5, 3, 4, 1] };

describe('recurrent kernels on the WebAssembly GEMM', () => {
  it.each([
    ['LSTM', { ...big, initialC: true, peepholes: true }],
    ['LSTM', { ...big, constantWeights: true, repeat: 3, layout: 1 as const }],
    ['GRU', big],
    ['GRU', { ...big, linearBeforeReset: true, constantWeights: true, repeat: 3 }],
    ['RNN', { ...big, constantWeights: true, repeat: 2 }],
  ] as const)('%s %#', (kind, config) => {
    const k = kind === 'LSTM' ? lstmKernel : kind === 'GRU' ? gruKernel : rnnKernel;
    const { actual, want } = runCase(k, kind, config);
    expectClose(actual[0], want.y);
    expectClose(actual[1], want.yh);
    if (kind === 'LSTM') expectClose(actual[2], want.yc);
  });
});
