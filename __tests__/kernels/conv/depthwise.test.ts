/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * Depthwise Conv (group == channels): the JavaScript loop and the WebAssembly kernel against a
 * sequential float32 reference (taps in (ky, kx) order from +0, padding as w * 0, then bias, then
 * clamp) bit for bit, and against onnxruntime-node, over strides 1, 2 and 3, dilations, symmetric
 * and asymmetric padding, kernel sizes 1, 3 and 5, odd and narrow widths, channel multipliers 1 to
 * 3, batches, 1-D, without bias and with a fused clamp (3x3 windows at stride 1 and 2 run the
 * module's kernel that pads in place, with masked edge blocks; the others run on zero-padded
 * copies). The WebAssembly filters are kept in a WasmFilters across runs as a plan keeps them, and
 * the kernel's overrun past row ends is checked by comparing every element.
 */
import { installWasmKernels } from '../../../lib/wasm-module';
import { convFloat32 } from '../../../worker/runtime/kernels/conv/conv';
import { WasmFilters } from '../../../worker/runtime/kernels/conv/conv-exports';
import { resolveWindow } from '../../../worker/runtime/kernels/conv/spatial';
import { Tensor } from '../../../worker/runtime/tensor';
import { useWasmKernels } from '../../../worker/runtime/wasm';
import { attr, buildModel, input, node as onnxNode, output } from '../../support/onnx-builder';
import { expectSameAsOrt } from '../../support/compare';
import { runOrt } from '../../support/ort-oracle';
import { makeContext } from '../kernel-harness';
import { node, randomTensor } from '../linalg/helpers';

interface Case {
  name: string;
  x: number[];
  /** output channels (a multiple of the input channels) */
  m: number;
  k: number[];
  strides?: number[];
  pads?: number[];
  dilations?: number[];
  bias?: boolean;
  clip?: { min: number; max: number };
}

const CASES: Case[] = [
  { name: '3x3 stride 1 pad 1, odd sizes, batch 2', x: [2, 7, 13, 11], m: 7, k: [3, 3], pads: [1, 1, 1, 1] },
  { name: '3x3 stride 2 pad 1 (MobileNet downsampling), Relu6', x: [1, 9, 15, 17], m: 9, k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], clip: { min: 0, max: 6 } },
  { name: '3x3 stride 2 on even sizes', x: [1, 4, 16, 16], m: 4, k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
  { name: '3x3 stride 2 on odd rows of 45 (edge blocks either side of plain ones)', x: [2, 5, 9, 45], m: 5, k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], clip: { min: 0, max: 6 } },
  { name: '5x5 stride 1 pad 2', x: [1, 6, 12, 19], m: 6, k: [5, 5], pads: [2, 2, 2, 2] },
  { name: '5x5 stride 2 dilation 2', x: [2, 3, 21, 20], m: 3, k: [5, 5], strides: [2, 2], dilations: [2, 2], pads: [4, 4, 4, 4] },
  { name: '3x3 dilation 2 pad 2', x: [1, 5, 10, 9], m: 5, k: [3, 3], dilations: [2, 2], pads: [2, 2, 2, 2] },
  { name: 'stride 3 (lanes gathered)', x: [1, 4, 20, 23], m: 4, k: [3, 3], strides: [3, 3], pads: [1, 1, 1, 1] },
  { name: 'asymmetric padding', x: [1, 3, 9, 14], m: 3, k: [3, 3], pads: [0, 1, 2, 1] },
  { name: 'no padding', x: [1, 5, 8, 8], m: 5, k: [3, 3] },
  { name: 'channel multiplier 2', x: [2, 4, 9, 10], m: 8, k: [3, 3], pads: [1, 1, 1, 1] },
  { name: 'channel multiplier 3 without bias', x: [1, 3, 7, 12], m: 9, k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], bias: false },
  { name: 'narrow planes (width 3, 7 and 5)', x: [1, 6, 5, 3], m: 6, k: [3, 3], pads: [1, 1, 1, 1] },
  { name: '7x7 planes (MobileNet tail)', x: [1, 12, 7, 7], m: 12, k: [3, 3], pads: [1, 1, 1, 1], clip: { min: 0, max: 6 } },
  { name: '1x1 stride 2', x: [1, 3, 9, 9], m: 3, k: [1, 1], strides: [2, 2] },
  { name: '4x2 kernel', x: [1, 2, 11, 10], m: 2, k: [4, 2], pads: [1, 0, 2, 1] },
  { name: '3x3 stride 2 pad 2, multiplier 2', x: [2, 3, 12, 21], m: 6, k: [3, 3], strides: [2, 2], pads: [2, 2, 2, 2] },
  { name: '3x3 stride 1, width 1 and 2', x: [1, 2, 6, 2], m: 2, k: [3, 3], pads: [1, 1, 1, 1] },
  { name: '3x3 stride 2, single output row and column', x: [1, 3, 2, 2], m: 3, k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
  { name: 'MobileNet 96 channels 112x112 stride 2', x: [1, 96, 112, 112], m: 96, k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], clip: { min: 0, max: 6 } },
  { name: '1-D kernel 3 pad 1', x: [2, 5, 37], m: 5, k: [3], pads: [1, 1] },
  { name: '1-D kernel 5 stride 2, multiplier 2', x: [1, 4, 41], m: 8, k: [5], strides: [2], pads: [2, 2], clip: { min: -0.5, max: 0.5 } },
];

const f = Math.fround;

/** Sequential float32 depthwise convolution: the order both paths promise. */
function reference(c: Case, x: Tensor<'float32'>, w: Tensor<'float32'>, b: Tensor<'float32'> | undefined, outSize: readonly number[]): Float32Array {
  const two = c.x.length === 4;
  const [n, ch] = c.x;
  const [H, W] = two ? c.x.slice(2) : [1, c.x[2]];
  const [KH, KW] = two ? c.k : [1, c.k[0]];
  const [OH, OW] = two ? outSize : [1, outSize[0]];
  const [SH, SW] = c.strides ? (two ? c.strides : [1, c.strides[0]]) : [1, 1];
  const [DH, DW] = c.dilations ? (two ? c.dilations : [1, c.dilations[0]]) : [1, 1];
  const [PH, PW] = c.pads ? (two ? c.pads : [0, c.pads[0]]) : [0, 0];
  const multiplier = c.m / ch;
  const out = new Float32Array(n * c.m * OH * OW);
  for (let i = 0; i < n; i++) {
    for (let o = 0; o < c.m; o++) {
      const plane = (i * ch + Math.floor(o / multiplier)) * H * W;
      for (let oy = 0; oy < OH; oy++) {
        for (let ox = 0; ox < OW; ox++) {
          let s = 0;
          for (let ky = 0; ky < KH; ky++) {
            for (let kx = 0; kx < KW; kx++) {
              const iy = oy * SH - PH + ky * DH;
              const ix = ox * SW - PW + kx * DW;
              const v = iy >= 0 && iy < H && ix >= 0 && ix < W ? x.data[plane + iy * W + ix] : 0;
              s = f(s + f(w.data[(o * KH + ky) * KW + kx] * v));
            }
          }
          const r = f(s + (b ? b.data[o] : 0));
          out[((i * c.m + o) * OH + oy) * OW + ox] = Math.min(Math.max(r, c.clip?.min ?? -Infinity), c.clip?.max ?? Infinity);
        }
      }
    }
  }
  return out;
}

function operands(c: Case): { x: Tensor<'float32'>; w: Tensor<'float32'>; b: Tensor<'float32'> | undefined } {
  return { x: randomTensor(c.x, 21), w: randomTensor([c.m, 1, ...c.k], 22), b: c.bias === false ? undefined : randomTensor([c.m], 23) };
}

function outSizeOf(c: Case): readonly number[] {
  const attrs = { autoPad: 'NOTSET' as const, kernelShape: null, strides: c.strides ?? null, dilations: c.dilations ?? null, pads: c.pads ?? null };
  return resolveWindow(attrs, c.x.slice(2), c.k, false, { node: node('Conv') }).outSize;
}

/** Runs our Conv twice on one set of filters (the second run reuses the kept WebAssembly copy). */
function run(c: Case, wasm: boolean): Float32Array {
  if (wasm) installWasmKernels();
  else useWasmKernels(null);
  const { x, w, b } = operands(c);
  const attrs = { autoPad: 'NOTSET' as const, kernelShape: null, strides: c.strides ?? null, dilations: c.dilations ?? null, pads: c.pads ?? null };
  const n = node('Conv');
  const win = resolveWindow(attrs, c.x.slice(2), c.k, false, { node: n });
  const filters = new WasmFilters();
  const size = c.x[0] * c.m * win.outSize.reduce((a, v) => a * v, 1);
  let y: Float32Array = new Float32Array(0);
  for (let pass = 0; pass < 2; pass++) {
    const out = new Tensor('float32', [c.x[0], c.m, ...win.outSize], new Float32Array(size).fill(NaN));
    convFloat32(x, w, b, out, win, c.x[1], makeContext(n, 22), c.clip, null, filters);
    if (pass === 1) expectSameBits(out.data, y, 'second run');
    y = out.data;
  }
  return y;
}

function expectSameBits(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) throw new Error(`${what}, element ${i}: expected ${expected[i]}, got ${actual[i]}`);
  }
}

describe('depthwise Conv: JavaScript and WebAssembly equal a float32 reference bit for bit', () => {
  afterAll(() => useWasmKernels(null));

  it.each(CASES)('$name', (c) => {
    const { x, w, b } = operands(c);
    const expected = reference(c, x, w, b, outSizeOf(c));
    expectSameBits(run(c, false), expected, 'JavaScript');
    expectSameBits(run(c, true), expected, 'WebAssembly');
  });
});

describe('depthwise Conv matches onnxruntime', () => {
  afterAll(() => useWasmKernels(null));

  it.each(CASES)('$name', async (c) => {
    const { x, w, b } = operands(c);
    const attributes = {
      group: attr.int(c.x[1]),
      ...(c.strides ? { strides: attr.ints(c.strides) } : {}),
      ...(c.pads ? { pads: attr.ints(c.pads) } : {}),
      ...(c.dilations ? { dilations: attr.ints(c.dilations) } : {}),
    };
    const nodes = [onnxNode('Conv', b ? ['X', 'W', 'B'] : ['X', 'W'], [c.clip ? 'C' : 'Y'], attributes)];
    const initializers: Record<string, Tensor> = { W: w, ...(b ? { B: b } : {}) };
    if (c.clip) {
      nodes.push(onnxNode('Clip', ['C', 'lo', 'hi'], ['Y']));
      initializers.lo = new Tensor('float32', [], Float32Array.of(c.clip.min));
      initializers.hi = new Tensor('float32', [], Float32Array.of(c.clip.max));
    }
    const model = buildModel({ opsets: { '': 17 }, inputs: [input('X', 'float32', c.x)], outputs: [output('Y', 'float32', null)], nodes, initializers });
    const theirs = (await runOrt(model, { X: x })).Y;
    const ours = new Tensor('float32', [c.x[0], c.m, ...outSizeOf(c)], run(c, true));
    expectSameAsOrt('Y', ours, theirs);
  });
});
