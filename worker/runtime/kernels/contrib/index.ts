/**
 * com.microsoft contrib ops: the fused transformer ops onnxruntime's transformer optimizer emits
 * and the weight-only quantized products of its quantizer.
 */
import type { AnyKernel } from '../../kernel';
import { attentionKernel } from './attention';
import { biasAddKernel } from './bias-add';
import { dynamicQuantizeMatMulKernel, matMulIntegerToFloatKernel } from './integer-to-float';
import { embedLayerNormalizationKernel } from './embed-layer-normalization';
import { fusedConvKernel } from './fused-conv';
import { fusedMatMulKernel } from './fused-matmul';
import { biasGeluKernel, fastGeluKernel, geluKernel, quickGeluKernel } from './gelu';
import { matMulNBitsKernel } from './matmul-nbits';
import { multiHeadAttentionKernel } from './multi-head-attention';
import { qLinearAddKernel, qLinearMulKernel, qLinearSigmoidKernel } from './qlinear-elementwise';
import { qLinearConcatKernel, qLinearGlobalAveragePoolKernel } from './qlinear-pool-concat';
import { rotaryEmbeddingKernel } from './rotary-embedding';
import { skipLayerNormalizationKernel, skipSimplifiedLayerNormalizationKernel } from './skip-layer-normalization';

export const contribKernels: readonly AnyKernel[] = [
  attentionKernel,
  biasAddKernel,
  biasGeluKernel,
  dynamicQuantizeMatMulKernel,
  embedLayerNormalizationKernel,
  fastGeluKernel,
  fusedConvKernel,
  fusedMatMulKernel,
  geluKernel,
  matMulIntegerToFloatKernel,
  matMulNBitsKernel,
  multiHeadAttentionKernel,
  qLinearAddKernel,
  qLinearConcatKernel,
  qLinearGlobalAveragePoolKernel,
  qLinearMulKernel,
  qLinearSigmoidKernel,
  quickGeluKernel,
  rotaryEmbeddingKernel,
  skipLayerNormalizationKernel,
  skipSimplifiedLayerNormalizationKernel,
];
