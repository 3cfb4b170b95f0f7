/**
 * int8 weights: which initializers are quantized and along which axis, and that the artifact reads
 * back (dequantized, as the Worker loads it) within half a quantization step of the float32 values.
 */
import { quantizeWeights } from '../../lib/model-compiler/int8-quantize';
import { writeArtifact } from '../../lib/model-compiler/artifact-writer';
import { readArtifact, weightsManifestOf } from '../../worker/runtime/artifact';
import type { Model, Node } from '../../worker/runtime/graph';
import { Tensor } from '../../worker/runtime/tensor';

function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sin(i * 12.9898 + seed) * (1 + (i % 7));
  return out;
}

const node = (op: string, inputs: string[], attributes: Node['attributes'] = {}): Node => ({ op, domain: '', name: op, inputs, outputs: [`${op}_out`], attributes });

function model(): Model {
  const init = (shape: number[], seed: number) => new Tensor('float32', shape, values(shape.reduce((a, b) => a * b, 1), seed));
  return {
    opsets: { '': 17 },
    metadata: {},
    graph: {
      name: 'g',
      inputs: [{ name: 'x', dtype: 'float32', shape: ['N', 32] }],
      outputs: [{ name: 'Conv_out', dtype: 'float32', shape: null }],
      initializers: new Map([
        ['matmul_w', init([32, 24], 1)],
        ['gemm_t', init([24, 32], 2)],
        ['conv_w', init([8, 4, 3, 3], 3)],
        ['small', init([4, 4], 4)],
        ['shared', init([32, 24], 5)],
        ['fused_w', init([32, 24], 6)],
        ['fused_t', init([24, 32], 7)],
        ['fused_b', init([24], 8)],
      ]),
      nodes: [
        node('MatMul', ['x', 'matmul_w']),
        node('Gemm', ['x', 'gemm_t'], { transB: 1 }),
        node('Conv', ['x', 'conv_w']),
        node('Mul', ['x', 'small']),
        // used as a MatMul weight and as an Add operand: stays float32
        { ...node('MatMul', ['x', 'shared']), outputs: ['m2'] },
        { ...node('Add', ['x', 'shared']), outputs: ['a2'] },
        // MatMul + bias as the compiler fuses it, and with transB
        { ...node('FusedMatMul', ['x', 'fused_w', 'fused_b']), domain: 'com.microsoft', outputs: ['f1'] },
        { ...node('FusedMatMul', ['x', 'fused_t'], { transB: 1 }), domain: 'com.microsoft', outputs: ['f2'] },
      ],
    },
  };
}

it('quantizes MatMul, FusedMatMul, Gemm and Conv weights along their output channels, and nothing else', () => {
  const m = model();
  const q = quantizeWeights(m);
  const axisOf = (name: string) => q.get(m.graph.initializers.get(name)!)?.axis;
  expect(axisOf('matmul_w')).toBe(1);
  expect(axisOf('gemm_t')).toBe(0);
  expect(axisOf('conv_w')).toBe(0);
  expect(axisOf('small')).toBeUndefined();
  expect(axisOf('shared')).toBeUndefined();
  expect(axisOf('fused_w')).toBe(1);
  expect(axisOf('fused_t')).toBe(0);
  expect(axisOf('fused_b')).toBeUndefined();
});

it('reads back within half a step of each channel, in a version-2 artifact where they take a quarter of the bytes', () => {
  const m = model();
  const q = quantizeWeights(m);
  const int8 = writeArtifact(m, { int8: q });
  const float = writeArtifact(m);
  expect(new DataView(int8.buffer).getUint32(8, true)).toBe(2);
  expect(new DataView(float.buffer).getUint32(8, true)).toBe(1);
  // each quantized tensor shrinks to a quarter (plus its scales and alignment)
  const quantizedBytes = [...q.keys()].reduce((n, t) => n + (t.data as Float32Array).byteLength, 0);
  expect(float.byteLength - int8.byteLength).toBeGreaterThan(quantizedBytes * 0.65);
  expect(weightsManifestOf(int8)).toBeUndefined();
  const back = readArtifact(int8).graph.initializers;
  for (const [name, t] of m.graph.initializers) {
    const got = back.get(name)!;
    expect(got.dtype).toBe('float32');
    expect(got.shape).toEqual(t.shape);
    const enc = q.get(t);
    const original = t.data as Float32Array;
    const read = got.data as Float32Array;
    if (!enc) {
      expect(read).toEqual(original);
      continue;
    }
    let inner = 1;
    for (let i = enc.axis + 1; i < t.shape.length; i++) inner *= t.shape[i];
    for (let i = 0; i < original.length; i++) {
      const channel = Math.floor(i / inner) % t.shape[enc.axis];
      expect(Math.abs(read[i] - original[i])).toBeLessThanOrEqual(enc.scales[channel] / 2 + 1e-6);
    }
  }
});
