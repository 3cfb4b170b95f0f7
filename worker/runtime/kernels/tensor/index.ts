import type { Kernel } from '../../kernel';

export const tensorKernels: readonly Kernel<any>[] = [];
