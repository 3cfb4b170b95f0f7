/**
 * The list a kernel returns its outputs in, reused per node: `return [out]` would make an array on
 * every run. The session copies the outputs out of the list at once and never keeps it, so one list
 * per node (keyed by its KernelContext) is enough. Use it only for outputs the node owns anyway
 * (`ctx.output` buffers): the list keeps its last tensors reachable between runs.
 */
import type { Tensor } from '../tensor';

const lists = new WeakMap<object, Tensor[]>();

function listOf(ctx: object, length: number): Tensor[] {
  let list = lists.get(ctx);
  if (list === undefined || list.length !== length) {
    list = new Array<Tensor>(length);
    lists.set(ctx, list);
  }
  return list;
}

/** [out], as the node's reused list. */
export function outputList(ctx: object, out: Tensor): Tensor[] {
  const list = listOf(ctx, 1);
  list[0] = out;
  return list;
}

/** [first, second], as the node's reused list. */
export function outputList2(ctx: object, first: Tensor, second: Tensor): Tensor[] {
  const list = listOf(ctx, 2);
  list[0] = first;
  list[1] = second;
  return list;
}
