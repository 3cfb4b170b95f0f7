/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * MaxPool over 1-D and 2-D float32 windows of any shape: the JavaScript plane loop and the
 * WebAssembly kernel (maxPoolPlanes: vector columns 4 at a time, stride 1, 2, gathered lanes and
 * transposed quads for kernel 4 at stride 4, clipped border columns and rows) against the general
 * path (taken when Indices is requested), bit for bit with NaN and signed zeros in the input, and
 * against onnxruntime-node.
 */
import { installWasmKernels } from '../../../lib/wasm-module';
import { maxPoolKernel } from '../../../worker/runtime/kernels/conv/pool';
import { Tensor } from '../../../worker/runtime/tensor';
import { useWasmKernels } from '../../../worker/runtime/wasm';
import { attr, buildModel, input, node as onnxNode, output } from '../../support/onnx-builder';
import { expectSameAsOrt } from '../../support/compare';
import { runOrt } from '../../support/ort-oracle';
import { randomTensor, runKernel } from '../linalg/helpers';

interface Case {
  x: number[];
  attrs: Record<string, number | number[]>;
}

const CASES: Case[] = [
  { x: [1, 3, 4000], attrs: { kernel_shape: [4], strides: [4] } },
  { x: [2, 2, 9, 37], attrs: { kernel_shape: [2, 4], strides: [2, 4], pads: [1, 2, 0, 1] } },
  { x: [2, 3, 37], attrs: { kernel_shape: [3], strides: [1], pads: [1, 1] } },
  { x: [2, 3, 38], attrs: { kernel_shape: [3], strides: [2], pads: [1, 1] } },
  { x: [1, 4, 41], attrs: { kernel_shape: [2], strides: [2], ceil_mode: 1 } },
  { x: [1, 4, 40], attrs: { kernel_shape: [3], strides: [3], pads: [2, 2], ceil_mode: 1 } },
  { x: [1, 2, 45], attrs: { kernel_shape: [3], strides: [2], dilations: [3], pads: [2, 1] } },
  { x: [1, 2, 33], attrs: { kernel_shape: [5], strides: [5], pads: [4, 4] } },
  { x: [1, 2, 6], attrs: { kernel_shape: [7], pads: [3, 3] } },
  { x: [2, 3, 9, 19], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } },
  { x: [1, 3, 13, 21], attrs: { kernel_shape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1] } },
  { x: [1, 2, 17, 23], attrs: { kernel_shape: [2, 3], strides: [3, 3], dilations: [2, 2], pads: [1, 2, 1, 2], ceil_mode: 1 } },
  { x: [1, 2, 8, 10], attrs: { kernel_shape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1] } },
];

function input1(c: Case): Tensor<'float32'> {
  const x = randomTensor(c.x, 31);
  const data = x.data;
  for (let i = 0; i < data.length; i += 23) data[i] = NaN;
  for (let i = 7; i < data.length; i += 11) data[i] = i % 2 ? -0 : 0;
  return x;
}

function expectSameBits(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) throw new Error(`${what}, element ${i}: expected ${expected[i]}, got ${actual[i]}`);
  }
}

describe('MaxPool plane paths (1-D and 2-D) equal the general path bit for bit', () => {
  afterAll(() => useWasmKernels(null));

  it.each(CASES)('$x $attrs', (c) => {
    const x = input1(c);
    useWasmKernels(null);
    const [general] = runKernel(maxPoolKernel, [x], c.attrs, 12, 2);
    const [js] = runKernel(maxPoolKernel, [x], c.attrs, 12, 1);
    installWasmKernels();
    const [wasm] = runKernel(maxPoolKernel, [x], c.attrs, 12, 1);
    expect(js.shape).toEqual(general.shape);
    expect(wasm.shape).toEqual(general.shape);
    expectSameBits(js.data as Float32Array, general.data as Float32Array, 'JavaScript');
    expectSameBits(wasm.data as Float32Array, general.data as Float32Array, 'WebAssembly');
  });
});

describe('MaxPool plane paths match onnxruntime', () => {
  beforeAll(() => installWasmKernels());
  afterAll(() => useWasmKernels(null));

  it.each(CASES)('$x $attrs', async (c) => {
    // onnxruntime's NaN handling differs from ours by design: finite inputs here
    const x = randomTensor(c.x, 32);
    const attributes = Object.fromEntries(Object.entries(c.attrs).map(([k, v]) => [k, Array.isArray(v) ? attr.ints(v) : attr.int(v)]));
    const model = buildModel({
      opsets: { '': 17 },
      inputs: [input('X', 'float32', c.x)],
      outputs: [output('Y', 'float32', null)],
      nodes: [onnxNode('MaxPool', ['X'], ['Y'], attributes)],
    });
    const [ours] = runKernel(maxPoolKernel, [x], c.attrs, 17, 1);
    expectSameAsOrt('Y', ours, (await runOrt(model, { X: x })).Y);
  });
});
