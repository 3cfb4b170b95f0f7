/**
 * Input checks of the vision kernels beyond common/inputs.ts: integer shape tensors and the
 * optional scalar inputs (thresholds, limits) that arrive as one-element tensors.
 */
import { kernelFail, type KernelContext } from '../../kernel';
import type { Tensor } from '../../tensor';
import { readInts, readScalar } from '../tensor/common';

type Ctx = Pick<KernelContext, 'node'>;

/** A required 1-D int64/int32 input (a shape or a list of sizes) as numbers. */
export function intListInput(inputs: ReadonlyArray<Tensor | undefined>, index: number, name: string, ctx: Ctx): number[] {
  const t = inputs[index];
  if (!t) kernelFail(ctx, `input ${name} (#${index}) is required`);
  if (t.shape.length !== 1) kernelFail(ctx, `input ${name} must be 1-D, got shape [${t.shape.join(', ')}]`);
  return readInts(t, ctx, `input ${name}`);
}

/** An optional scalar input, or `fallback` when it is omitted. */
export function optionalScalar(inputs: ReadonlyArray<Tensor | undefined>, index: number, name: string, fallback: number, ctx: Ctx): number {
  const t = inputs[index];
  return t ? readScalar(t, ctx, `input ${name}`) : fallback;
}
