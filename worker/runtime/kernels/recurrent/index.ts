/** Recurrent kernels: one-layer LSTM, GRU and simple RNN cells over a whole sequence. */
import type { AnyKernel } from '../../kernel';
import { gruKernel } from './gru';
import { lstmKernel } from './lstm';
import { rnnKernel } from './rnn';

export const recurrentKernels: readonly AnyKernel[] = [lstmKernel, gruKernel, rnnKernel];
