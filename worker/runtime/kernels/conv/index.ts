/** Convolution and pooling: Conv and ConvTranspose over the shared GEMM core, and the pools. */
import type { Kernel } from '../../kernel';
import { convKernel } from './conv';
import { convTransposeKernel } from './conv-transpose';
import { averagePoolKernel, globalAveragePoolKernel, globalMaxPoolKernel, maxPoolKernel } from './pool';

export const convKernels: readonly Kernel<any>[] = [
  convKernel,
  convTransposeKernel,
  maxPoolKernel,
  averagePoolKernel,
  globalAveragePoolKernel,
  globalMaxPoolKernel,
];
