/** Shared helpers for the linalg and conv kernel tests: a node runner and seeded inputs. */
import type { Node } from '../../../worker/runtime/graph';
import type { Kernel } from '../../../worker/runtime/kernel';
import { PackedWeights } from '../../../worker/runtime/kernels/linalg/gemm';
import { Tensor } from '../../../worker/runtime/tensor';
import { runKernel as sharedRunKernel } from '../kernel-harness';

export function node(op: string, attributes: Node['attributes'] = {}, inputs = 2, outputs = 1): Node {
  return {
    op,
    domain: '',
    name: `test_${op}`,
    inputs: Array.from({ length: inputs }, (_, i) => `in${i}`),
    outputs: Array.from({ length: outputs }, (_, i) => `out${i}`),
    attributes,
  };
}

/** Parses attributes and runs a kernel once on the given inputs (weights: indices of weight inputs). */
export function runKernel(
  k: Kernel<any, any>, inputs: ReadonlyArray<Tensor | undefined>, attributes: Node['attributes'] = {}, opset = 22, outputs = 1, weights: readonly number[] = [],
): Tensor[] {
  return sharedRunKernel(k, inputs, { attributes, opset, outputs, weights });
}

const packs = new WeakMap<Float32Array, PackedWeights>();

/** One PackedWeights per weight array, as the plan of the node owning that weight keeps it. */
export function packedWeightsOf(b: Float32Array): PackedWeights {
  let p = packs.get(b);
  if (p === undefined) {
    p = new PackedWeights();
    packs.set(b, p);
  }
  return p;
}

/** A deterministic pseudo-random generator (mulberry32) for reproducible inputs. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomTensor(shape: readonly number[], seed: number): Tensor<'float32'> {
  const next = random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = next() * 2 - 1;
  return new Tensor('float32', shape, data);
}

/** The conformance tolerance: |expected - actual| <= 1e-5 + 1e-3 |expected|. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (!(Math.abs(e - a) <= 1e-5 + 1e-3 * Math.abs(e))) {
      throw new Error(`element ${i}: expected ${e}, got ${a}`);
    }
  }
}
