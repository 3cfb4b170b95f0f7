import type { Kernel } from '../../kernel';

export const recurrentKernels: readonly Kernel<any>[] = [];
