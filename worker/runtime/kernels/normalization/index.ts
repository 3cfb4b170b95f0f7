import type { Kernel } from '../../kernel';

export const normalizationKernels: readonly Kernel<any>[] = [];
