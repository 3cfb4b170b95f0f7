import type { Kernel } from '../../kernel';

export const indexingKernels: readonly Kernel<any>[] = [];
