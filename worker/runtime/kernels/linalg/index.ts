/** Matrix products: MatMul, Gemm and Einsum, over the shared GEMM core (gemm.ts). */
import type { AnyKernel } from '../../kernel';
import { einsumKernel } from './einsum';
import { gemmKernel } from './gemm-op';
import { matMulKernel } from './matmul';

export const linalgKernels: readonly AnyKernel[] = [matMulKernel, gemmKernel, einsumKernel];

export { gemm, gemmTuning, type GemmOptions } from './gemm';
