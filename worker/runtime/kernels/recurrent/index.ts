/** Recurrent kernels: one-layer LSTM, GRU and simple RNN cells over a whole sequence. */
import type { Kernel } from '../../kernel';
import { gru } from './gru';
import { lstm } from './lstm';
import { rnn } from './rnn';

export const recurrentKernels: readonly Kernel<any>[] = [lstm, gru, rnn];
