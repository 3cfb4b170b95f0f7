/** Shared helpers for the linalg and conv kernel tests: a minimal KernelContext and a node runner. */
import type { Node } from '../../../worker/runtime/graph';
import { AttributeReader, type Kernel, type KernelContext } from '../../../worker/runtime/kernel';
import { Tensor, type DType } from '../../../worker/runtime/tensor';

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

export function context(n: Node, opset = 22): KernelContext {
  let scratch = new Float32Array(0);
  const buffers: Tensor[] = [];
  return {
    node: n,
    opset,
    output<D extends DType>(index: number, dtype: D, shape: readonly number[]): Tensor<D> {
      const prev = buffers[index];
      if (prev && prev.dtype === dtype && prev.shape.join() === shape.join()) return prev as Tensor<D>;
      // garbage-filled on purpose: kernels must write every output element
      const t = Tensor.zeros(dtype, shape.slice());
      if (t.data instanceof Float32Array) t.data.fill(NaN);
      buffers[index] = t;
      return t;
    },
    scratch(length: number) {
      if (scratch.length < length) scratch = new Float32Array(length);
      return scratch;
    },
    runSubgraph() {
      throw new Error('no subgraphs here');
    },
  };
}

/** Parses attributes and runs a kernel once on the given inputs. */
export function runKernel(k: Kernel<any>, inputs: ReadonlyArray<Tensor | undefined>, attributes: Node['attributes'] = {}, opset = 22, outputs = 1): Tensor[] {
  const n = node(k.op, attributes, inputs.length, outputs);
  const attrs = k.attributes ? k.attributes(new AttributeReader(n), opset) : undefined;
  return k.run(inputs, attrs, context(n, opset));
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
