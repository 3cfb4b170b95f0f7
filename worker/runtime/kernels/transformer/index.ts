/** Transformer building blocks: fused attention and rotary position embeddings. */
import type { Kernel } from '../../kernel';
import { attentionKernel } from './attention';
import { rotaryEmbeddingKernel } from './rotary-embedding';

export const transformerKernels: readonly Kernel<any>[] = [attentionKernel, rotaryEmbeddingKernel];
