/**
 * The one copy loop behind Slice, Expand, Tile and the general Transpose: read a strided view of a
 * source (offset + per-axis strides, 0 for broadcast axes) and write it densely in row-major order.
 * Axes are coalesced first so that the innermost loop is as long as possible and, when the source
 * is contiguous there, becomes a single typed-array `set` (or a `fill` for a broadcast axis).
 */
import type { TensorData } from '../../tensor';
import { copyRange, fillRange } from './common';

export interface StridedView {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

/** Drops size-1 axes and merges neighbours whose strides line up. */
export function coalesce(view: StridedView): StridedView {
  const shape: number[] = [];
  const strides: number[] = [];
  for (let i = 0; i < view.shape.length; i++) {
    const d = view.shape[i];
    if (d === 1) continue;
    const last = shape.length - 1;
    if (last >= 0 && strides[last] === view.strides[i] * d) {
      shape[last] *= d;
      strides[last] = view.strides[i];
    } else {
      shape.push(d);
      strides.push(view.strides[i]);
    }
  }
  return { shape, strides, offset: view.offset };
}

/** Writes the elements of `view` over `src` into dst[dstOffset..] in row-major order. */
export function stridedCopy(src: TensorData, view: StridedView, dst: TensorData, dstOffset = 0): void {
  for (const d of view.shape) if (d === 0) return;
  const { shape, strides, offset } = coalesce(view);
  const rank = shape.length;
  if (rank === 0) {
    copyRange(src, offset, dst, dstOffset, 1);
    return;
  }
  const n = shape[rank - 1];
  const s = strides[rank - 1];
  const d = dst as unknown as { [i: number]: unknown };
  const r = src as unknown as { [i: number]: unknown };
  const outer = rank - 1;
  const counter = new Array<number>(outer).fill(0);
  let srcPos = offset;
  let dstPos = dstOffset;
  for (;;) {
    if (s === 1) copyRange(src, srcPos, dst, dstPos, n);
    else if (s === 0) fillRange(dst, r[srcPos], dstPos, n);
    else for (let i = 0, p = srcPos; i < n; i++, p += s) d[dstPos + i] = r[p];
    dstPos += n;
    srcPos = stepOdometer(counter, shape, strides, outer, srcPos);
    if (srcPos < 0) return;
  }
}

/**
 * Advances `counter` over the first `rank` axes of `shape` (the last of them fastest) and moves the
 * source position `pos` by the matching strides; -1 once the counter has wrapped past the end.
 */
export function stepOdometer(counter: number[], shape: readonly number[], strides: readonly number[], rank: number, pos: number): number {
  for (let axis = rank - 1; axis >= 0; axis--) {
    pos += strides[axis];
    if (++counter[axis] < shape[axis]) return pos;
    pos -= strides[axis] * shape[axis];
    counter[axis] = 0;
  }
  return -1;
}
