/** Normalization kernels: per-channel, per-instance, per-group, per-layer, RMS, Lp, mean-variance and local-response. */
import type { AnyKernel } from '../../kernel';
import { batchNormalization } from './batch-normalization';
import { groupNormalization } from './group-normalization';
import { instanceNormalization } from './instance-normalization';
import { layerNormalization } from './layer-normalization';
import { lpNormalization } from './lp-normalization';
import { lrn } from './lrn';
import { meanVarianceNormalization } from './mean-variance-normalization';
import { rmsNormalization } from './rms-normalization';

export const normalizationKernels: readonly AnyKernel[] = [
  batchNormalization,
  groupNormalization,
  instanceNormalization,
  layerNormalization,
  lpNormalization,
  lrn,
  meanVarianceNormalization,
  rmsNormalization,
];
