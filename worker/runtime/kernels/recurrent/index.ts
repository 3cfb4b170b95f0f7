/** Recurrent kernels: one-layer LSTM, GRU and simple RNN cells over a whole sequence. */
import type { AnyKernel } from '../../kernel';
import { gru } from './gru';
import { lstm } from './lstm';
import { rnn } from './rnn';

export const recurrentKernels: readonly AnyKernel[] = [lstm, gru, rnn];
