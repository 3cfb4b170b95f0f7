import type { Kernel } from '../../kernel';

export const nnKernels: readonly Kernel<any>[] = [];
