import type { Kernel } from '../../kernel';

export const mathKernels: readonly Kernel<any>[] = [];
