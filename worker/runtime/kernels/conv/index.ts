/** Convolution and pooling: Conv and ConvTranspose over the shared GEMM core, and the pools. */
import type { AnyKernel } from '../../kernel';
import { convKernel } from './conv';
import { convTransposeKernel } from './conv-transpose';
import { averagePoolKernel, globalAveragePoolKernel, globalMaxPoolKernel, maxPoolKernel } from './pool';

export const convKernels: readonly AnyKernel[] = [
  convKernel,
  convTransposeKernel,
  maxPoolKernel,
  averagePoolKernel,
  globalAveragePoolKernel,
  globalMaxPoolKernel,
];
