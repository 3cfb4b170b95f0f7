/** Which outputs a node wants, and float working buffers that cost nothing per run for float32. */
import type { KernelContext } from '../../kernel';
import type { Floats } from './tensor-types';

type Ctx = Pick<KernelContext, 'node'>;

/** Whether output `index` is requested by the node ('' or missing marks an omitted output). */
export function wantsOutput(ctx: Ctx, index: number): boolean {
  return (ctx.node.outputs[index] ?? '') !== '';
}

/** A float working buffer: the node's reusable scratch for float32, a fresh array for float64. */
export function workBuffer(ctx: Pick<KernelContext, 'scratch'>, dtype: 'float32' | 'float64', length: number): Floats {
  return dtype === 'float32' ? ctx.scratch(length) : new Float64Array(length);
}
