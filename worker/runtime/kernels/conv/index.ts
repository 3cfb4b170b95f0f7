/** Convolution and pooling: Conv and ConvTranspose over the shared GEMM core, the compiler's ConvChain, and the pools. */
import type { AnyKernel } from '../../kernel';
import { convKernel } from './conv';
import { convChainKernel } from './conv-chain';
import { convTransposeKernel } from './conv-transpose';
import { averagePoolKernel, globalAveragePoolKernel, globalMaxPoolKernel, maxPoolKernel } from './pool';

export const convKernels: readonly AnyKernel[] = [
  convKernel,
  convChainKernel,
  convTransposeKernel,
  maxPoolKernel,
  averagePoolKernel,
  globalAveragePoolKernel,
  globalMaxPoolKernel,
];
