/** Image and detection ops: sampling grids, box suppression, region pooling, patch folding, Lp pooling. */
import type { AnyKernel } from '../../kernel';
import { affineGrid } from './affine-grid';
import { centerCropPad } from './center-crop-pad';
import { col2Im } from './col2im';
import { gridSample } from './grid-sample';
import { globalLpPool, lpPool } from './lp-pool';
import { nonMaxSuppression } from './non-max-suppression';
import { roiAlign } from './roi-align';

export const visionKernels: readonly AnyKernel[] = [gridSample, affineGrid, centerCropPad, col2Im, nonMaxSuppression, roiAlign, lpPool, globalLpPool];
