/** Transformer building blocks: fused attention and rotary position embeddings. */
import type { AnyKernel } from '../../kernel';
import { attentionKernel } from './attention';
import { rotaryEmbeddingKernel } from './rotary-embedding';

export const transformerKernels: readonly AnyKernel[] = [attentionKernel, rotaryEmbeddingKernel];
