/**
 * The copy behind Pad and nearest Resize: out[i0, .., ik] = x[map0[i0], .., mapk[ik]], with one
 * map per axis from output position to source position, and `fill` wherever a map holds -1 (Pad's
 * constant border, Resize's extrapolated region). Rows along the last axis are written whole: a row
 * that repeats the source row just written is copied from it (upsampling, edge padding), a row
 * outside along an outer axis is one fill, and a last-axis map that is a border, an ascending run
 * and a border (constant padding, an unresized axis) is two fills and one block copy.
 */
import type { Tensor } from '../../tensor';
import { stridesOf } from '../../tensor';
import { copyRange, fillRange } from './common';

export function gatherThroughMaps(x: Tensor, maps: readonly Int32Array[], fill: unknown, out: Tensor): void {
  const rank = maps.length;
  const dst = out.data;
  if (dst.length === 0) return;
  if (rank === 0) {
    copyRange(x.data, 0, dst, 0, 1);
    return;
  }
  const strides = stridesOf(x.shape);
  const last = maps[rank - 1];
  const n = last.length;
  const run = ascendingRun(last);
  const lastHasOutside = last.includes(-1);
  const s = x.data as unknown as { [i: number]: unknown };
  const d = dst as unknown as { [i: number]: unknown };
  const counter = new Array<number>(rank - 1).fill(0);
  let previousBase = -2;
  for (let rowStart = 0; rowStart < dst.length; rowStart += n) {
    let base = 0;
    for (let k = 0; k < rank - 1; k++) {
      const p = maps[k][counter[k]];
      if (p < 0) {
        base = -1;
        break;
      }
      base += p * strides[k];
    }
    if (base === previousBase) {
      copyRange(dst, rowStart - n, dst, rowStart, n);
    } else if (base < 0) {
      fillRange(dst, fill, rowStart, n);
    } else if (run !== null) {
      const [start, end] = run;
      fillRange(dst, fill, rowStart, start);
      copyRange(x.data, base + (end > start ? last[start] : 0), dst, rowStart + start, end - start);
      fillRange(dst, fill, rowStart + end, n - end);
    } else if (lastHasOutside) {
      for (let i = 0; i < n; i++) {
        const p = last[i];
        d[rowStart + i] = p < 0 ? fill : s[base + p];
      }
    } else {
      for (let i = 0; i < n; i++) d[rowStart + i] = s[base + last[i]];
    }
    previousBase = base;
    for (let k = rank - 2; k >= 0; k--) {
      if (++counter[k] < maps[k].length) break;
      counter[k] = 0;
    }
  }
}

/** [start, end) when the map is -1s, then consecutive source positions, then -1s; else null. */
function ascendingRun(map: Int32Array): [number, number] | null {
  const n = map.length;
  let start = 0;
  while (start < n && map[start] < 0) start++;
  if (start === n) return [n, n];
  let end = start + 1;
  while (end < n && map[end] === map[end - 1] + 1) end++;
  for (let i = end; i < n; i++) if (map[i] >= 0) return null;
  return [start, end];
}
