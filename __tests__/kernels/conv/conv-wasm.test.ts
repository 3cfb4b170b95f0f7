/**
 * Conv in WebAssembly (im2col written into packed panels, filters as the GEMM's A, NCHW scatter)
 * against the JavaScript path, on shapes that reach every branch: the vector copy of 8 columns and
 * the per-lane edge path, padding rows, strides, dilations, groups (depthwise too), 1-D, a batch,
 * chunked output rows, bias and the fused clamp.
 */
import { installWasmKernels } from '../../../lib/wasm-module';
import { convFloat32 } from '../../../worker/runtime/kernels/conv/conv';
import { convTuning } from '../../../worker/runtime/kernels/conv/conv-wasm';
import { resolveWindow } from '../../../worker/runtime/kernels/conv/spatial';
import { markConstantTensors } from '../../../worker/runtime/kernels/linalg/constants';
import { Tensor } from '../../../worker/runtime/tensor';
import { useWasmKernels } from '../../../worker/runtime/wasm';
import { context, expectClose, node, randomTensor } from '../linalg/helpers';

interface Case {
  name: string;
  x: number[];
  w: number[];
  group?: number;
  strides?: number[];
  pads?: number[];
  dilations?: number[];
  activation?: { min: number; max: number };
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
  { name: 'narrow image (width below 8)', x: [1, 2, 6, 5], w: [3, 2, 2, 2] },
];

function run(c: Case, wasm: boolean): Float32Array {
  if (wasm) installWasmKernels();
  else useWasmKernels(null);
  const rank = c.x.length - 2;
  const x = randomTensor(c.x, 11);
  const w = randomTensor(c.w, 12);
  markConstantTensors([w]);
  const b = randomTensor([c.w[0]], 13);
  const attrs = { autoPad: 'NOTSET' as const, kernelShape: null, strides: c.strides ?? null, dilations: c.dilations ?? null, pads: c.pads ?? null };
  const n = node('Conv');
  const win = resolveWindow(attrs, c.x.slice(2), c.w.slice(2), false, { node: n });
  const y = new Tensor('float32', [c.x[0], c.w[0], ...win.outSize], new Float32Array(c.x[0] * c.w[0] * win.outSize.reduce((a, v) => a * v, 1)).fill(NaN));
  convFloat32(x, w, b, y, win, c.group ?? 1, context(n), c.activation);
  expect(rank).toBe(win.outSize.length);
  return y.data;
}

describe('Conv in WebAssembly matches the JavaScript path', () => {
  const saved = convTuning.chunkFloats;
  afterAll(() => {
    useWasmKernels(null);
    convTuning.chunkFloats = saved;
  });

  it.each(CASES)('$name', (c) => {
    const expected = run(c, false);
    convTuning.chunkFloats = saved;
    expectClose(run(c, true), expected);
    // a few output rows per chunk (and a chunk boundary inside an image)
    convTuning.chunkFloats = 1;
    expectClose(run(c, true), expected);
    convTuning.chunkFloats = 3 * 8 * 200;
    expectClose(run(c, true), expected);
  });
});
