/**
 * Conv in WebAssembly (GEMM tiles over 8 output positions, filters as A, B read in place from the
 * image where every tap is inside it and im2col'd per panel elsewhere, NCHW stores) against the
 * JavaScript path and, bitwise, against a sequential float32 reference (taps summed in (channel,
 * ky, kx) order), on shapes that reach every branch: in-place and im2col'd panels, the vector copy
 * of 8 columns and the per-lane edge path, padding rows, strides, dilations, groups (depthwise too),
 * 1-D, a batch, 8-row tiles on half panels, 4-, 2- and 1-row tiles, partial panels, groups of
 * many filters (every panel im2col'd), a GEMM whose filters outweigh its panels, pointwise ones
 * computed transposed (7x7 planes), bias or none, and the fused clamp.
 */
import { installWasmKernels } from '../../../lib/wasm-module';
import { convFloat32 } from '../../../worker/runtime/kernels/conv/conv';
import { resolveWindow } from '../../../worker/runtime/kernels/conv/spatial';
import { Tensor } from '../../../worker/runtime/tensor';
import { useWasmKernels } from '../../../worker/runtime/wasm';
import { PackedWeights } from '../../../worker/runtime/kernels/linalg/gemm';
import { makeContext } from '../kernel-harness';
import { expectClose, node, randomTensor } from '../linalg/helpers';

interface Case {
  name: string;
  x: number[];
  w: number[];
  group?: number;
  strides?: number[];
  pads?: number[];
  dilations?: number[];
  activation?: { min: number; max: number };
  noBias?: boolean;
}

const CASES: Case[] = [
  { name: 'LeNet conv1 at batch 3', x: [3, 1, 28, 28], w: [6, 1, 5, 5] },
  { name: 'LeNet conv2 at batch 2', x: [2, 6, 12, 12], w: [16, 6, 5, 5], activation: { min: 0, max: Infinity } },
  { name: '3x3 same padding, 13 filters (6+6+1 rows)', x: [1, 5, 17, 19], w: [13, 5, 3, 3], pads: [1, 1, 1, 1] },
  { name: 'stride 2 with asymmetric padding', x: [2, 3, 15, 21], w: [10, 3, 3, 3], strides: [2, 2], pads: [0, 1, 2, 1] },
  { name: 'dilation 2', x: [1, 2, 20, 20], w: [4, 2, 3, 3], dilations: [2, 2], pads: [2, 2, 2, 2] },
  { name: 'groups of 2', x: [1, 8, 10, 11], w: [12, 4, 3, 3], group: 2, pads: [1, 1, 1, 1], activation: { min: -0.5, max: 0.5 } },
  { name: 'depthwise', x: [2, 7, 9, 9], w: [7, 1, 3, 3], group: 7, strides: [2, 2], pads: [1, 1, 1, 1] },
  { name: 'pointwise', x: [2, 9, 6, 10], w: [5, 9, 1, 1] },
  { name: '1-D', x: [2, 3, 40], w: [4, 3, 5], strides: [1], pads: [2, 1] },
  { name: '1-D stride 4, kernel 80 (an audio front end: every fourth float gathered by vector)', x: [2, 1, 500], w: [12, 1, 80], strides: [4], pads: [38, 38] },
  { name: 'stride 2 on wide rows (even floats gathered by vector)', x: [1, 3, 9, 45], w: [9, 3, 3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
  { name: 'pointwise in 3 groups (packed panels and the GEMM of the module per group)', x: [2, 6, 5, 7], w: [9, 2, 1, 1], group: 3 },
  { name: 'narrow image (width below 8)', x: [1, 2, 6, 5], w: [3, 2, 2, 2] },
  { name: 'no padding, 28 columns (last panel half full), 5 filters', x: [2, 3, 20, 30], w: [5, 3, 3, 3] },
  { name: '10 columns (a 2-wide half panel), 19 filters (8+8 on half panels, then 2+1)', x: [2, 6, 14, 14], w: [19, 6, 5, 5], activation: { min: 0, max: Infinity } },
  { name: '3x3 same padding, 130 filters (every panel im2col\'d, padding included; 2-row tail)', x: [1, 3, 9, 21], w: [130, 3, 3, 3], pads: [1, 1, 1, 1], activation: { min: 0, max: 6 } },
  { name: '1-D, 70 filters on rows of 70 (every panel im2col\'d) at batch 2', x: [2, 4, 70], w: [70, 4, 3], strides: [1], pads: [1, 1] },
  { name: 'no bias (the tiles add zeros)', x: [1, 5, 12, 12], w: [8, 5, 3, 3], pads: [1, 1, 1, 1], noBias: true },
  { name: 'pointwise without bias', x: [2, 9, 6, 10], w: [12, 9, 1, 1], noBias: true, activation: { min: 0, max: 6 } },
  { name: 'pointwise, 40 filters over 3x3 positions (filters outweigh panels: row blocks outermost)', x: [1, 16, 3, 3], w: [40, 16, 1, 1] },
  { name: 'pointwise on 7x7 planes at batch 2 (positions as GEMM rows, filters as packed panels)', x: [2, 12, 7, 7], w: [24, 12, 1, 1], activation: { min: 0, max: 6 } },
  { name: 'pointwise on 7x7 planes without bias', x: [1, 20, 7, 7], w: [16, 20, 1, 1], noBias: true },
];

const f = Math.fround;

/** Sequential float32 convolution: taps in (channel, ky, kx) order, then bias, then clamp. */
function reference(c: Case, x: Tensor<'float32'>, w: Tensor<'float32'>, b: Tensor<'float32'> | undefined, outSize: readonly number[]): Float32Array {
  const two = c.x.length === 4;
  const [n, ch] = c.x;
  const [H, W] = two ? c.x.slice(2) : [1, c.x[2]];
  const [KH, KW] = two ? c.w.slice(2) : [1, c.w[2]];
  const [OH, OW] = two ? outSize : [1, outSize[0]];
  const [SH, SW] = c.strides ? (two ? c.strides : [1, c.strides[0]]) : [1, 1];
  const [DH, DW] = c.dilations ? (two ? c.dilations : [1, c.dilations[0]]) : [1, 1];
  const [PH, PW] = c.pads ? (two ? c.pads : [0, c.pads[0]]) : [0, 0];
  const m = c.w[0];
  const g = c.group ?? 1;
  const cg = ch / g;
  const mg = m / g;
  const out = new Float32Array(n * m * OH * OW);
  for (let i = 0; i < n; i++) {
    for (let o = 0; o < m; o++) {
      const c0 = Math.floor(o / mg) * cg;
      for (let oy = 0; oy < OH; oy++) {
        for (let ox = 0; ox < OW; ox++) {
          let s = 0;
          for (let ci = 0; ci < cg; ci++) {
            for (let ky = 0; ky < KH; ky++) {
              for (let kx = 0; kx < KW; kx++) {
                const iy = oy * SH - PH + ky * DH;
                const ix = ox * SW - PW + kx * DW;
                const v = iy >= 0 && iy < H && ix >= 0 && ix < W ? x.data[((i * ch + c0 + ci) * H + iy) * W + ix] : 0;
                s = f(s + f(w.data[((o * cg + ci) * KH + ky) * KW + kx] * v));
              }
            }
          }
          const r = b ? f(s + b.data[o]) : s;
          out[((i * m + o) * OH + oy) * OW + ox] = Math.min(Math.max(r, c.activation?.min ?? -Infinity), c.activation?.max ?? Infinity);
        }
      }
    }
  }
  return out;
}

function run(c: Case, wasm: boolean, expectExact = false): Float32Array {
  if (wasm) installWasmKernels();
  else useWasmKernels(null);
  const rank = c.x.length - 2;
  const x = randomTensor(c.x, 11);
  const w = randomTensor(c.w, 12);
  const b = c.noBias ? undefined : randomTensor([c.w[0]], 13);
  const attrs = { autoPad: 'NOTSET' as const, kernelShape: null, strides: c.strides ?? null, dilations: c.dilations ?? null, pads: c.pads ?? null };
  const n = node('Conv');
  const win = resolveWindow(attrs, c.x.slice(2), c.w.slice(2), false, { node: n });
  const y = new Tensor('float32', [c.x[0], c.w[0], ...win.outSize], new Float32Array(c.x[0] * c.w[0] * win.outSize.reduce((a, v) => a * v, 1)).fill(NaN));
  convFloat32(x, w, b, y, win, c.group ?? 1, makeContext(n, 22), c.activation, new PackedWeights());
  expect(rank).toBe(win.outSize.length);
  if (expectExact) {
    const ref = reference(c, x, w, b, win.outSize);
    for (let i = 0; i < ref.length; i++) if (!Object.is(y.data[i], ref[i])) throw new Error(`element ${i}: expected ${ref[i]}, got ${y.data[i]}`);
  }
  return y.data;
}

describe('Conv in WebAssembly matches the JavaScript path and a float32 reference bit for bit', () => {
  afterAll(() => useWasmKernels(null));

  it.each(CASES)('$name', (c) => {
    const expected = run(c, false);
    expectClose(run(c, true, true), expected);
  });
});
