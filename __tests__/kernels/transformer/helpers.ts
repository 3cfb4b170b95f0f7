/** Seeded data and a tolerant comparison for the transformer kernel tests. */
import type { Tensor } from '../../../worker/runtime/tensor';

/** Deterministic floats in [lo, hi) from a small LCG. */
export function randomFloats(n: number, seed: number, lo = -1, hi = 1): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((hi - lo) * s) / 2 ** 32;
  });
}

/** |expected - actual| <= atol + rtol * |expected| everywhere (NaN equals NaN), shapes equal. */
export function expectClose(actual: Tensor, shape: readonly number[], expected: ArrayLike<number>, atol = 1e-5, rtol = 1e-4): void {
  expect(actual.shape).toEqual(shape);
  const a = actual.data as ArrayLike<number>;
  expect(a.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const ok = Number.isNaN(e) ? Number.isNaN(a[i]) : e === a[i] || Math.abs(a[i] - e) <= atol + rtol * Math.abs(e);
    if (!ok) throw new Error(`element ${i} of shape [${shape.join(', ')}]: got ${a[i]}, expected ${e}`);
  }
}
