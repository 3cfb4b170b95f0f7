/**
 * The indexing family: scatter/gather by index, cumulative and selection ops, and the
 * rearrangements between depth and space. Every kernel is listed here explicitly.
 */
import type { AnyKernel } from '../../kernel';
import { compressKernel } from './compress';
import { cumProdKernel, cumSumKernel } from './cumsum';
import { depthToSpaceKernel, spaceToDepthKernel } from './depth-space';
import { eyeLikeKernel } from './eye-like';
import { maxUnpoolKernel } from './max-unpool';
import { gatherNDKernel, scatterNDKernel } from './nd';
import { nonZeroKernel } from './nonzero';
import { oneHotKernel } from './one-hot';
import { reverseSequenceKernel } from './reverse-sequence';
import { scatterElementsKernel, scatterKernel } from './scatter-elements';
import { uniqueKernel } from './unique';
import { upsampleKernel } from './upsample';

export const indexingKernels: readonly AnyKernel[] = [
  // by index
  gatherNDKernel,
  scatterNDKernel,
  scatterElementsKernel,
  scatterKernel,
  oneHotKernel,
  maxUnpoolKernel,
  // selection: output sizes depend on the values
  nonZeroKernel,
  compressKernel,
  uniqueKernel,
  // running sums and products
  cumSumKernel,
  cumProdKernel,
  // rearrangements
  depthToSpaceKernel,
  spaceToDepthKernel,
  reverseSequenceKernel,
  upsampleKernel,
  // generators
  eyeLikeKernel,
];
