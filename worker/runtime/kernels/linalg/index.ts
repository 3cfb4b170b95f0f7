import type { Kernel } from '../../kernel';

export const linalgKernels: readonly Kernel<any>[] = [];
