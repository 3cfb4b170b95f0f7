/**
 * References for the math kernel tests: naive index-based broadcasting and reductions that
 * share no code with the kernels.
 */
import type { Tensor } from '../../../worker/runtime/tensor';

/** Multidirectional broadcast of shapes, or null; written independently of the runtime. */
export function naiveBroadcastShape(shapes: ReadonlyArray<readonly number[]>): number[] | null {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let d = 0; d < rank; d++) {
    const dims = shapes.map((s) => (d - (rank - s.length) >= 0 ? s[d - (rank - s.length)] : 1));
    const big = dims.filter((x) => x !== 1);
    if (big.some((x) => x !== big[0])) return null;
    out.push(big.length ? big[0] : 1);
  }
  return out;
}

/** Multi-index of flat position i in shape. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

/** Flat position in `shape` of output multi-index `outIdx`, broadcasting (size-1 dims read 0). */
export function broadcastRead(outIdx: readonly number[], shape: readonly number[]): number {
  const offset = outIdx.length - shape.length;
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d] + (shape[d] === 1 ? 0 : outIdx[d + offset]);
  return flat;
}

/** out[i] = fn(a[...], b[...]) by explicit index arithmetic. */
export function naiveBinary(a: Tensor, b: Tensor, fn: (x: any, y: any) => any): { shape: number[]; values: unknown[] } {
  const shape = naiveBroadcastShape([a.shape, b.shape])!;
  const n = shape.reduce((p, d) => p * d, 1);
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, shape);
    out.push(fn(a.data[broadcastRead(idx, a.shape)], b.data[broadcastRead(idx, b.shape)]));
  }
  return { shape, values: out };
}

/** Reduces over `axes` with keepdims=1, folding with fn from `init`. */
export function naiveReduce(x: Tensor, axes: readonly number[], init: number, fn: (acc: number, v: number) => number): number[] {
  const outShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outSize = outShape.reduce((p, d) => p * d, 1);
  const acc = new Array<number>(outSize).fill(init);
  for (let i = 0; i < x.size; i++) {
    const idx = unravel(i, x.shape);
    acc[broadcastRead(idx, outShape)] = fn(acc[broadcastRead(idx, outShape)], Number(x.data[i]));
  }
  return acc;
}

/** Reference erf: the all-positive series exp(-x^2) * sum (2x^2)^n x / (2n+1)!!, run to convergence. */
export function referenceErf(x: number): number {
  const ax = Math.abs(x);
  const z2 = 2 * ax * ax;
  let term = ax;
  let sum = ax;
  for (let n = 1; n < 5000 && term > sum * 1e-18; n++) {
    term *= z2 / (2 * n + 1);
    sum += term;
  }
  const r = (2 / Math.sqrt(Math.PI)) * Math.exp(-ax * ax) * sum;
  return x < 0 ? -r : r;
}
