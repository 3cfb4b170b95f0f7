import type { Kernel } from '../../kernel';

export const convKernels: readonly Kernel<any>[] = [];
