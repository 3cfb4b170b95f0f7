/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * AveragePool's 1-D and 2-D path (windows clipped per row and column) against the general 3-D path
 * (the same input with a leading spatial axis of size 1), bit for bit in float32 and float64, with
 * and without count_include_pad, ceil_mode, strides, dilations and asymmetric padding; and against
 * onnxruntime-node.
 */
import { averagePoolKernel } from '../../../worker/runtime/kernels/conv/pool';
import { Tensor } from '../../../worker/runtime/tensor';
import { attr, buildModel, input, node as onnxNode, output } from '../../support/onnx-builder';
import { expectSameAsOrt } from '../../support/compare';
import { runOrt } from '../../support/ort-oracle';
import { randomTensor, runKernel } from '../linalg/helpers';

interface Case {
  x: number[];
  kernel: number[];
  strides?: number[];
  pads?: number[];
  dilations?: number[];
  countIncludePad?: boolean;
  ceil?: boolean;
}

const CASES: Case[] = [
  { x: [1, 3, 40], kernel: [4], strides: [4] },
  { x: [2, 2, 23], kernel: [3], strides: [2], pads: [1, 1], countIncludePad: true },
  { x: [1, 2, 23], kernel: [3], strides: [2], pads: [1, 2], ceil: true },
  { x: [1, 2, 23], kernel: [3], strides: [2], pads: [1, 2], ceil: true, countIncludePad: true },
  { x: [1, 2, 30], kernel: [3], dilations: [2], pads: [2, 1], countIncludePad: true },
  { x: [2, 3, 9, 11], kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
  { x: [2, 3, 9, 11], kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], countIncludePad: true },
  { x: [1, 2, 10, 13], kernel: [2, 3], strides: [3, 2], pads: [1, 0, 1, 2], ceil: true, countIncludePad: true },
  { x: [1, 2, 12, 12], kernel: [3, 2], dilations: [2, 3], pads: [2, 1, 2, 1] },
  { x: [1, 4, 7, 7], kernel: [7, 7] },
];

function attributes(c: Case, lift: boolean): Record<string, number | number[]> {
  const rank = c.kernel.length;
  const pads = c.pads ?? new Array<number>(2 * rank).fill(0);
  return {
    kernel_shape: lift ? [1, ...c.kernel] : c.kernel,
    strides: lift ? [1, ...(c.strides ?? c.kernel.map(() => 1))] : c.strides ?? c.kernel.map(() => 1),
    dilations: lift ? [1, ...(c.dilations ?? c.kernel.map(() => 1))] : c.dilations ?? c.kernel.map(() => 1),
    pads: lift ? [0, ...pads.slice(0, rank), 0, ...pads.slice(rank)] : pads,
    count_include_pad: c.countIncludePad ? 1 : 0,
    ceil_mode: c.ceil ? 1 : 0,
  };
}

describe('AveragePool plane path equals the general path bit for bit', () => {
  it.each(CASES.flatMap((c) => [{ ...c, dtype: 'float32' as const }, { ...c, dtype: 'float64' as const }]))('$dtype $x $kernel', (c) => {
    const x32 = randomTensor(c.x, 41);
    const x = c.dtype === 'float32' ? x32 : new Tensor('float64', c.x, Float64Array.from(x32.data));
    const lifted = new Tensor(c.dtype, [c.x[0], c.x[1], 1, ...c.x.slice(2)], x.data);
    const [plane] = runKernel(averagePoolKernel, [x], attributes(c, false), 19, 1);
    const [general] = runKernel(averagePoolKernel, [lifted], attributes(c, true), 19, 1);
    expect(general.shape).toEqual([plane.shape[0], plane.shape[1], 1, ...plane.shape.slice(2)]);
    const a = plane.data as Float32Array;
    const b = general.data as Float32Array;
    expect(a.length).toBe(b.length);
    for (let i = 0; i < b.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`element ${i}: general ${b[i]}, plane ${a[i]}`);
  });
});

describe('AveragePool plane path matches onnxruntime', () => {
  it.each(CASES)('$x $kernel', async (c) => {
    const x = randomTensor(c.x, 42);
    const attrs = attributes(c, false);
    const onnxAttrs = Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, Array.isArray(v) ? attr.ints(v) : attr.int(v)]));
    const model = buildModel({
      opsets: { '': 19 },
      inputs: [input('X', 'float32', c.x)],
      outputs: [output('Y', 'float32', null)],
      nodes: [onnxNode('AveragePool', ['X'], ['Y'], onnxAttrs)],
    });
    const [ours] = runKernel(averagePoolKernel, [x], attrs, 19, 1);
    expectSameAsOrt('Y', ours, (await runOrt(model, { X: x })).Y);
  });
});
