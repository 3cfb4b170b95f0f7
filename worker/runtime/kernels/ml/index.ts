import type { Kernel } from '../../kernel';

export const mlKernels: readonly Kernel<any>[] = [];
