/** Image and detection ops: sampling grids, box suppression, region pooling, patch folding, Lp pooling. */
import type { Kernel } from '../../kernel';
import { gridSample } from './grid-sample';

export const visionKernels: readonly Kernel<any>[] = [gridSample];
