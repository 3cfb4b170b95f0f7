/**
 * Runs one kernel outside a session: parses attributes as the session would, and hands out
 * output buffers pre-filled with NaN so that a kernel which forgets to write an element (or relies
 * on a zeroed buffer, which a reused buffer is not) fails the comparison.
 */
import type { Attributes, Node } from '../../../worker/runtime/graph';
import { AttributeReader, type Kernel, type KernelContext } from '../../../worker/runtime/kernel';
import { Tensor, type DType } from '../../../worker/runtime/tensor';

export interface RunOptions {
  readonly attributes?: Attributes;
  readonly opset?: number;
  /** output names; '' marks an omitted optional output (default: one output per returned tensor) */
  readonly outputs?: readonly string[];
}

export function makeNode(k: Kernel<any>, inputCount: number, options: RunOptions = {}): Node {
  return {
    op: k.op,
    domain: k.domain ?? '',
    name: 'n',
    inputs: Array.from({ length: inputCount }, (_, i) => `in${i}`),
    outputs: options.outputs ?? ['out0', 'out1', 'out2'],
    attributes: options.attributes ?? {},
  };
}

/** Parses attributes only (errors surface as ModelError). */
export function parseAttributes(k: Kernel<any>, options: RunOptions = {}): unknown {
  const node = makeNode(k, 0, options);
  return k.attributes?.(new AttributeReader(node), options.opset ?? 22);
}

export function runKernel(k: Kernel<any>, inputs: ReadonlyArray<Tensor | undefined>, options: RunOptions = {}): Tensor[] {
  const node = makeNode(k, inputs.length, options);
  const opset = options.opset ?? 22;
  const attrs = k.attributes?.(new AttributeReader(node), opset);
  let scratch = new Float32Array(0);
  const ctx: KernelContext = {
    node,
    opset,
    output<D extends DType>(_index: number, dtype: D, shape: readonly number[]): Tensor<D> {
      const t = Tensor.zeros(dtype, shape);
      if (dtype === 'float32' || dtype === 'float64') (t.data as Float32Array).fill(NaN);
      return t;
    },
    runSubgraph() {
      throw new Error('runSubgraph is not available in the kernel harness');
    },
    scratch(length: number): Float32Array {
      if (scratch.length < length) scratch = new Float32Array(length).fill(NaN);
      return scratch;
    },
  };
  return k.run(inputs, attrs, ctx);
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
