/**
 * Per-row parameters (Scale, B) of the "normalize the trailing dims X.shape[axis:]" ops
 * (LayerNormalization, RMSNormalization): a parameter broadcasts right-aligned to the normalized
 * shape, and the kernels read it as one value per row position.
 */
import { kernelFail, type KernelContext } from '../../kernel';
import { sizeBetween, stridesOf } from '../../tensor';
import { shapeText } from '../common/shape-text';
import type { FloatTensor } from '../common/tensor-types';

/** Resolves a possibly negative axis of a rank-`rank` tensor, or a KernelError naming the range. */
export function normalizedAxis(axis: number, shape: readonly number[], ctx: Pick<KernelContext, 'node'>): number {
  const rank = shape.length;
  if (rank === 0 || axis < -rank || axis >= rank) {
    kernelFail(ctx, `attribute axis = ${axis} is out of range for X of shape ${shapeText(shape)} (allowed ${-rank}..${rank - 1})`);
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * The parameter as one value per position of a row of shape `xShape[axis:]` (the normalized
 * shape): its own data when it already has that many elements (the usual 1-D Scale/B, no copy,
 * nothing allocated), otherwise a broadcast copy.
 */
export function rowParameter(
  p: FloatTensor,
  xShape: readonly number[],
  axis: number,
  name: string,
  ctx: Pick<KernelContext, 'node'>,
): Float32Array | Float64Array {
  const targetRank = xShape.length - axis;
  let fits = p.rank <= targetRank;
  for (let i = 0; fits && i < p.rank; i++) {
    const d = p.shape[i];
    fits = d === 1 || d === xShape[xShape.length - p.rank + i];
  }
  if (!fits) {
    kernelFail(ctx, `input ${name} of shape ${shapeText(p.shape)} does not broadcast to the normalized shape ${shapeText(xShape.slice(axis))}`);
  }
  const size = sizeBetween(xShape, axis);
  if (p.size === size) return p.data;
  const target = xShape.slice(axis);
  const out = p.dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
  const pStrides = stridesOf(p.shape);
  const tStrides = stridesOf(target);
  const offset = target.length - p.rank;
  for (let i = 0; i < size; i++) {
    let rest = i;
    let j = 0;
    for (let d = 0; d < target.length; d++) {
      const coord = Math.floor(rest / tStrides[d]);
      rest -= coord * tStrides[d];
      if (d >= offset && p.shape[d - offset] !== 1) j += coord * pStrides[d - offset];
    }
    out[i] = p.data[j];
  }
  return out;
}
