import type { Kernel } from '../../kernel';

export const quantizationKernels: readonly Kernel<any>[] = [];
