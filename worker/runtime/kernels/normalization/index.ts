/** Normalization kernels: per-channel, per-instance, per-group, per-layer, RMS, Lp, mean-variance and local-response. */
import type { AnyKernel } from '../../kernel';
import { batchNormalizationKernel } from './batch-normalization';
import { groupNormalizationKernel } from './group-normalization';
import { instanceNormalizationKernel } from './instance-normalization';
import { layerNormalizationKernel } from './layer-normalization';
import { lpNormalizationKernel } from './lp-normalization';
import { lrnKernel } from './lrn';
import { meanVarianceNormalizationKernel } from './mean-variance-normalization';
import { rmsNormalizationKernel } from './rms-normalization';

export const normalizationKernels: readonly AnyKernel[] = [
  batchNormalizationKernel,
  groupNormalizationKernel,
  instanceNormalizationKernel,
  layerNormalizationKernel,
  lpNormalizationKernel,
  lrnKernel,
  meanVarianceNormalizationKernel,
  rmsNormalizationKernel,
];
