/**
 * The tensor family: shape manipulation and data movement. Every kernel is listed here explicitly
 * so the inventory is visible at a glance.
 */
import type { AnyKernel } from '../../kernel';
import { concatKernel, splitKernel } from './concat-split';
import { constantKernel, constantOfShapeKernel } from './constant';
import { gatherElementsKernel, gatherKernel } from './gather';
import { ifKernel } from './if';
import { loopKernel } from './loop';
import { padKernel } from './pad';
import { rangeKernel } from './range';
import { dropoutKernel, flattenKernel, identityKernel, reshapeKernel, squeezeKernel, unsqueezeKernel } from './reshape';
import { resizeKernel } from './resize';
import { scanKernel } from './scan';
import { shapeKernel, sizeKernel } from './shape';
import { sliceKernel } from './slice';
import { expandKernel, tileKernel } from './tile-expand';
import { topKKernel } from './topk';
import { transposeKernel } from './transpose';
import { triluKernel } from './trilu';

export const tensorKernels: readonly AnyKernel[] = [
  // views: no data is copied
  reshapeKernel,
  flattenKernel,
  squeezeKernel,
  unsqueezeKernel,
  identityKernel,
  dropoutKernel,
  // constants and shape queries
  constantKernel,
  constantOfShapeKernel,
  shapeKernel,
  sizeKernel,
  rangeKernel,
  // data movement
  concatKernel,
  splitKernel,
  gatherKernel,
  gatherElementsKernel,
  sliceKernel,
  padKernel,
  transposeKernel,
  expandKernel,
  tileKernel,
  triluKernel,
  resizeKernel,
  topKKernel,
  // control flow
  ifKernel,
  loopKernel,
  scanKernel,
];
