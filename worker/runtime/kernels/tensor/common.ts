/**
 * Small helpers shared by the shape and data-movement kernels: reading integer inputs (shapes,
 * axes, indices arrive as int64 BigInt64Array or int32) and copying ranges of any tensor data
 * (typed arrays or string arrays) without caring which it is.
 */
import type { KernelContext, PlanInput } from '../../kernel';
import { kernelFail } from '../../kernel';
import type { Tensor, TensorData } from '../../tensor';

type Ctx = Pick<KernelContext, 'node'>;

/** The values of an int32/int64 tensor as JavaScript numbers (int64 sentinels saturate). */
export function readInts(t: Tensor, ctx: Ctx, what: string): number[] {
  if (t.dtype !== 'int64' && t.dtype !== 'int32') {
    kernelFail(ctx, `${what} must be int64 or int32, got ${t.dtype}`);
  }
  const out = new Array<number>(t.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number(t.data[i]);
  return out;
}

/**
 * The values of an integer input as a plan sees them: read when the input is a weight, null when
 * it is an activation (its values arrive with each run), undefined when it is omitted.
 */
export function plannedInts(input: PlanInput | undefined, ctx: Ctx, what: string): number[] | null | undefined {
  if (input === undefined) return undefined;
  return input.value ? readInts(input.value, ctx, what) : null;
}

/** A single scalar (or one-element) input as a number. */
export function readScalar(t: Tensor, ctx: Ctx, what: string): number {
  if (t.data.length !== 1) kernelFail(ctx, `${what} must hold exactly one value, got shape [${t.shape.join(', ')}]`);
  if (t.dtype === 'string') kernelFail(ctx, `${what} must be numeric, got string`);
  return Number(t.data[0]);
}

/** Copies `length` elements from src[srcStart..] to dst[dstStart..] for any tensor data. */
export function copyRange(src: TensorData, srcStart: number, dst: TensorData, dstStart: number, length: number): void {
  if (length <= 0) return;
  if (Array.isArray(src)) {
    const d = dst as string[];
    for (let i = 0; i < length; i++) d[dstStart + i] = src[srcStart + i];
    return;
  }
  if (length < 8) {
    // a call to set/subarray costs more than a short element loop
    const s = src as unknown as { [i: number]: unknown };
    const d = dst as unknown as { [i: number]: unknown };
    for (let i = 0; i < length; i++) d[dstStart + i] = s[srcStart + i];
    return;
  }
  (dst as Float32Array).set((src as Float32Array).subarray(srcStart, srcStart + length), dstStart);
}

/** Fills dst[start, start+length) with one element value. */
export function fillRange(dst: TensorData, value: unknown, start: number, length: number): void {
  if (length <= 0) return;
  (dst as unknown as { fill(v: unknown, s: number, e: number): void }).fill(value, start, start + length);
}

/** A zero of the tensor's element type (0, 0n or ''). */
export function zeroOf(t: Pick<Tensor, 'dtype'>): number | bigint | string {
  if (t.dtype === 'string') return '';
  if (t.dtype === 'int64' || t.dtype === 'uint64') return 0n;
  return 0;
}
