/**
 * Output shapes remembered per node, so that a run whose shapes match the previous run's passes the
 * same array to `ctx.output` (or to `Tensor.reshape`) instead of building a new one.
 *
 * A kernel writes the shape it wants into the shared draft (`draftShape(rank)`), then `keepShape`
 * returns the array remembered for (node, slot) when it holds the same dimensions, or a copy of
 * the draft that becomes the remembered one. Remembered arrays are never modified afterwards, so
 * they may be stored in tensors. A draft is only valid until the next `draftShape` call for the same rank.
 */
import { sameShape } from '../tensor';

/** drafts[rank]: one scratch array per rank (resizing one array could reallocate its storage) */
const drafts: number[][] = [];
const remembered = new WeakMap<object, Array<readonly number[] | undefined>>();

/** A shared scratch array, `rank` long, for the caller to fill and pass to keepShape at once. */
export function draftShape(rank: number): number[] {
  let d = drafts[rank];
  if (d === undefined) {
    while (drafts.length <= rank) drafts.push(new Array<number>(drafts.length).fill(0));
    d = drafts[rank];
  }
  return d;
}

/**
 * `shape` as an array owned by (`owner`, `slot`): the previous one when the dimensions are the same.
 * `owner` is any object that lives as long as the node: its KernelContext.
 */
export function keepShape(owner: object, slot: number, shape: readonly number[]): readonly number[] {
  let list = remembered.get(owner);
  if (list === undefined) {
    list = [];
    remembered.set(owner, list);
  }
  const last = list[slot];
  if (last !== undefined && sameShape(last, shape)) return last;
  const copy = shape.slice();
  list[slot] = copy;
  return copy;
}

/** [d0, d1] kept per (owner, slot). */
export function keepShape2(owner: object, slot: number, d0: number, d1: number): readonly number[] {
  const d = draftShape(2);
  d[0] = d0;
  d[1] = d1;
  return keepShape(owner, slot, d);
}

/** `prefix` followed by `rest`, kept per (owner, slot): e.g. [N, M, ...spatial] for Conv's output. */
export function keepShapeConcat(owner: object, slot: number, prefix0: number, prefix1: number, rest: readonly number[]): readonly number[] {
  const d = draftShape(2 + rest.length);
  d[0] = prefix0;
  d[1] = prefix1;
  for (let i = 0; i < rest.length; i++) d[2 + i] = rest[i];
  return keepShape(owner, slot, d);
}

/** [d0] kept per (owner, slot). */
export function keepShape1(owner: object, slot: number, d0: number): readonly number[] {
  const d = draftShape(1);
  d[0] = d0;
  return keepShape(owner, slot, d);
}
