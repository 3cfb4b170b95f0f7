/** Image and detection ops: sampling grids, box suppression, region pooling, patch folding, Lp pooling. */
import type { AnyKernel } from '../../kernel';
import { affineGridKernel } from './affine-grid';
import { centerCropPadKernel } from './center-crop-pad';
import { col2ImKernel } from './col2im';
import { gridSampleKernel } from './grid-sample';
import { globalLpPoolKernel, lpPoolKernel } from './lp-pool';
import { nonMaxSuppressionKernel } from './non-max-suppression';
import { roiAlignKernel } from './roi-align';

export const visionKernels: readonly AnyKernel[] = [gridSampleKernel, affineGridKernel, centerCropPadKernel, col2ImKernel, nonMaxSuppressionKernel, roiAlignKernel, lpPoolKernel, globalLpPoolKernel];
