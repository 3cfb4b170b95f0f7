/** Normalization kernels: per-channel, per-instance, per-layer and local-response. */
import type { Kernel } from '../../kernel';
import { batchNormalization } from './batch-normalization';
import { instanceNormalization } from './instance-normalization';
import { layerNormalization } from './layer-normalization';
import { lrn } from './lrn';

export const normalizationKernels: readonly Kernel<any>[] = [
  batchNormalization,
  instanceNormalization,
  layerNormalization,
  lrn,
];
