/**
 * The normalization tests' defaults over the shared kernel harness (opset 22, three output names,
 * junk-filled output buffers so that a kernel relying on zeroed outputs fails).
 */
import type { Attributes } from '../../../worker/runtime/graph';
import { AttributeReader, type Kernel } from '../../../worker/runtime/kernel';
import { Tensor } from '../../../worker/runtime/tensor';
import { nodeFor, runKernel as sharedRunKernel } from '../kernel-harness';

const OUTPUTS = ['out0', 'out1', 'out2'];

export interface RunOptions {
  readonly attributes?: Attributes;
  readonly opset?: number;
  /** output names; '' marks an omitted optional output (default: one output per returned tensor) */
  readonly outputs?: readonly string[];
}

/** Parses attributes only (errors surface as ModelError). */
export function parseAttributes(k: Kernel<any, any>, options: RunOptions = {}): unknown {
  const node = nodeFor(k, 0, { attributes: options.attributes, outputs: options.outputs ?? OUTPUTS });
  return k.attributes?.(new AttributeReader(node), options.opset ?? 22);
}

export function runKernel(k: Kernel<any, any>, inputs: ReadonlyArray<Tensor | undefined>, options: RunOptions = {}): Tensor[] {
  return sharedRunKernel(k, inputs, { attributes: options.attributes, opset: options.opset ?? 22, outputs: options.outputs ?? OUTPUTS });
}

/** Asserts |expected - actual| <= atol + rtol * |expected| elementwise, with a useful message. */
export function expectClose(actual: Tensor, expected: { shape: readonly number[]; data: ArrayLike<number> }, atol = 1e-5, rtol = 1e-4): void {
  expect(actual.shape).toEqual(expected.shape);
  expect(actual.data.length).toBe(expected.data.length);
  for (let i = 0; i < expected.data.length; i++) {
    const e = expected.data[i];
    const a = Number(actual.data[i]);
    if (!(Math.abs(e - a) <= atol + rtol * Math.abs(e))) {
      throw new Error(`element ${i}: expected ${e}, got ${a} (shape [${actual.shape.join(', ')}])`);
    }
  }
}

/** Deterministic pseudo-random floats in [lo, hi) (mulberry32), so failures reproduce. */
export function randomFloats(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = lo + (hi - lo) * r;
  }
  return out;
}

export function f32(shape: readonly number[], data: ArrayLike<number>): Tensor<'float32'> {
  return Tensor.from('float32', shape, data);
}
