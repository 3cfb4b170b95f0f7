import { installWasmKernels } from '../../../lib/wasm-module';
import { ModelError } from '../../../worker/runtime/errors';
import { convKernel } from '../../../worker/runtime/kernels/conv/conv';
import { convTransposeKernel } from '../../../worker/runtime/kernels/conv/conv-transpose';
import { gemmTuning } from '../../../worker/runtime/kernels/linalg/gemm';
import { useWasmKernels } from '../../../worker/runtime/wasm';
import { sizeOf, stridesOf, type Tensor } from '../../../worker/runtime/tensor';
import { expectClose, randomTensor, runKernel } from '../linalg/helpers';

interface Geo {
  strides: number[];
  dilations: number[];
  padsBegin: number[];
  outSize: number[];
}

/** Every multi-index of `shape`, row-major. */
function* indices(shape: readonly number[]): Generator<number[]> {
  const total = sizeOf(shape);
  const st = stridesOf(shape);
  for (let t = 0; t < total; t++) yield st.map((s, i) => Math.floor(t / s) % shape[i]);
}

/** Conv from the definition: y[n][m][o] = b[m] + sum_{c,k} x[n][g*C/G + c][o*s - p + k*d] * w[m][c][k]. */
function refConv(x: Tensor<'float32'>, w: Tensor<'float32'>, b: Tensor<'float32'> | undefined, group: number, geo: Geo): Float64Array {
  const [n, c] = x.shape;
  const m = w.shape[0];
  const cg = c / group;
  const ks = w.shape.slice(2);
  const ins = x.shape.slice(2);
  const xs = stridesOf(x.shape);
  const ws = stridesOf(w.shape);
  const out = new Float64Array(n * m * sizeOf(geo.outSize));
  let i = 0;
  for (const [ni, mi, ...o] of indices([n, m, ...geo.outSize])) {
    const g = Math.floor(mi / (m / group));
    let s = b ? b.data[mi] : 0;
    for (let ci = 0; ci < cg; ci++) {
      for (const k of indices(ks)) {
        const pos = o.map((oi, a) => oi * geo.strides[a] - geo.padsBegin[a] + k[a] * geo.dilations[a]);
        if (pos.some((p, a) => p < 0 || p >= ins[a])) continue;
        const xv = x.data[ni * xs[0] + (g * cg + ci) * xs[1] + pos.reduce((acc, p, a) => acc + p * xs[a + 2], 0)];
        const wv = w.data[mi * ws[0] + ci * ws[1] + k.reduce((acc, kk, a) => acc + kk * ws[a + 2], 0)];
        s += xv * wv;
      }
    }
    out[i++] = s;
  }
  return out;
}

/** ConvTranspose from the definition: scatter x[n][c][i] * w[c][j][k] to y[n][g*M/G + j][i*s - p + k*d]. */
function refConvTranspose(x: Tensor<'float32'>, w: Tensor<'float32'>, b: Tensor<'float32'> | undefined, group: number, geo: Geo): Float64Array {
  const [n, c] = x.shape;
  const mg = w.shape[1];
  const m = mg * group;
  const cg = c / group;
  const ks = w.shape.slice(2);
  const ys = stridesOf([n, m, ...geo.outSize]);
  const out = new Float64Array(n * m * sizeOf(geo.outSize));
  for (const [ni, mi] of indices([n, m])) out.fill(b ? b.data[mi] : 0, ni * ys[0] + mi * ys[1], ni * ys[0] + (mi + 1) * ys[1]);
  const xs = stridesOf(x.shape);
  const ws = stridesOf(w.shape);
  for (const [ni, ci, ...i] of indices(x.shape)) {
    const g = Math.floor(ci / cg);
    for (let j = 0; j < mg; j++) {
      for (const k of indices(ks)) {
        const pos = i.map((ii, a) => ii * geo.strides[a] - geo.padsBegin[a] + k[a] * geo.dilations[a]);
        if (pos.some((p, a) => p < 0 || p >= geo.outSize[a])) continue;
        const xv = x.data[ni * xs[0] + ci * xs[1] + i.reduce((acc, v, a) => acc + v * xs[a + 2], 0)];
        const wv = w.data[ci * ws[0] + j * ws[1] + k.reduce((acc, v, a) => acc + v * ws[a + 2], 0)];
        out[ni * ys[0] + (g * mg + j) * ys[1] + pos.reduce((acc, p, a) => acc + p * ys[a + 2], 0)] += xv * wv;
      }
    }
  }
  return out;
}

interface ConvCase {
  name: string;
  x: number[];
  w: number[];
  bias: boolean;
  attrs: Record<string, number | number[] | string>;
  /** expected geometry */
  geo: Geo;
}

const convCases: ConvCase[] = [
  { name: '2-D 5x5 LeNet-like, batch 3', x: [3, 1, 12, 12], w: [6, 1, 5, 5], bias: true, attrs: {}, geo: { strides: [1, 1], dilations: [1, 1], padsBegin: [0, 0], outSize: [8, 8] } },
  { name: '2-D pads and strides', x: [2, 3, 7, 9], w: [5, 3, 3, 3], bias: true, attrs: { pads: [1, 2, 0, 1], strides: [2, 3] }, geo: { strides: [2, 3], dilations: [1, 1], padsBegin: [1, 2], outSize: [3, 4] } },
  { name: '2-D dilations', x: [1, 2, 9, 9], w: [3, 2, 3, 2], bias: false, attrs: { dilations: [2, 3] }, geo: { strides: [1, 1], dilations: [2, 3], padsBegin: [0, 0], outSize: [5, 6] } },
  { name: '2-D groups', x: [2, 4, 6, 6], w: [6, 2, 3, 3], bias: true, attrs: { group: 2, pads: [1, 1, 1, 1] }, geo: { strides: [1, 1], dilations: [1, 1], padsBegin: [1, 1], outSize: [6, 6] } },
  { name: 'depthwise', x: [1, 3, 5, 5], w: [3, 1, 3, 3], bias: true, attrs: { group: 3 }, geo: { strides: [1, 1], dilations: [1, 1], padsBegin: [0, 0], outSize: [3, 3] } },
  { name: 'SAME_UPPER', x: [1, 2, 5, 6], w: [3, 2, 4, 3], bias: false, attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2] }, geo: { strides: [2, 2], dilations: [1, 1], padsBegin: [1, 0], outSize: [3, 3] } },
  { name: 'SAME_LOWER', x: [1, 2, 5, 6], w: [3, 2, 4, 3], bias: false, attrs: { auto_pad: 'SAME_LOWER', strides: [2, 2] }, geo: { strides: [2, 2], dilations: [1, 1], padsBegin: [2, 1], outSize: [3, 3] } },
  { name: 'VALID', x: [1, 1, 6, 6], w: [2, 1, 3, 3], bias: false, attrs: { auto_pad: 'VALID', strides: [2, 2] }, geo: { strides: [2, 2], dilations: [1, 1], padsBegin: [0, 0], outSize: [2, 2] } },
  { name: '1x1 pointwise, batch 2', x: [2, 5, 4, 3], w: [7, 5, 1, 1], bias: true, attrs: {}, geo: { strides: [1, 1], dilations: [1, 1], padsBegin: [0, 0], outSize: [4, 3] } },
  { name: '1-D', x: [2, 3, 11], w: [4, 3, 3], bias: true, attrs: { pads: [1, 2], strides: [2] }, geo: { strides: [2], dilations: [1], padsBegin: [1], outSize: [6] } },
  { name: '3-D', x: [1, 2, 4, 5, 3], w: [3, 2, 2, 3, 2], bias: true, attrs: { pads: [0, 1, 0, 0, 1, 1] }, geo: { strides: [1, 1, 1], dilations: [1, 1, 1], padsBegin: [0, 1, 0], outSize: [3, 5, 3] } },
];

describe.each([
  ['JavaScript', false],
  ['WebAssembly SIMD', true],
])('Conv and ConvTranspose (%s)', (_label, wasm) => {
  const saved = gemmTuning.wasmMinWork;
  beforeAll(() => {
    if (wasm) installWasmKernels();
    gemmTuning.wasmMinWork = 0;
  });
  afterAll(() => {
    useWasmKernels(null);
    gemmTuning.wasmMinWork = saved;
  });

  it.each(convCases)('Conv $name', ({ x: xs, w: ws, bias, attrs, geo }) => {
    const x = randomTensor(xs, 1);
    const w = randomTensor(ws, 2);
    const b = bias ? randomTensor([ws[0]], 3) : undefined;
    const [y] = runKernel(convKernel, [x, w, b], attrs, 22, 1, [1]);
    expect(y.shape).toEqual([xs[0], ws[0], ...geo.outSize]);
    expectClose(y.data as Float32Array, refConv(x, w, b, (attrs.group as number) ?? 1, geo));
  });

  it.each([
    { name: '2-D stride 2 with output_padding', x: [2, 3, 3, 4], w: [3, 2, 3, 3], bias: true, attrs: { strides: [2, 2], output_padding: [1, 0] }, geo: { strides: [2, 2], dilations: [1, 1], padsBegin: [0, 0], outSize: [8, 9] } },
    { name: 'pads and dilations', x: [1, 2, 4, 4], w: [2, 3, 3, 2], bias: false, attrs: { pads: [1, 0, 1, 1], dilations: [2, 2] }, geo: { strides: [1, 1], dilations: [2, 2], padsBegin: [1, 0], outSize: [6, 5] } },
    { name: 'groups', x: [1, 4, 3, 3], w: [4, 2, 2, 2], bias: true, attrs: { group: 2, strides: [2, 2] }, geo: { strides: [2, 2], dilations: [1, 1], padsBegin: [0, 0], outSize: [6, 6] } },
    { name: 'output_shape', x: [1, 1, 3, 3], w: [1, 2, 3, 3], bias: false, attrs: { strides: [3, 2], output_shape: [10, 8] }, geo: { strides: [3, 2], dilations: [1, 1], padsBegin: [0, 0], outSize: [10, 8] } },
    // onnxruntime (and the ONNX test data) put the odd padding unit at the tail for SAME_UPPER
    { name: 'SAME_UPPER', x: [1, 1, 3, 3], w: [1, 2, 3, 3], bias: false, attrs: { strides: [2, 2], auto_pad: 'SAME_UPPER' }, geo: { strides: [2, 2], dilations: [1, 1], padsBegin: [0, 0], outSize: [6, 6] } },
    { name: 'SAME_LOWER', x: [1, 1, 3, 3], w: [1, 2, 3, 3], bias: false, attrs: { strides: [2, 2], auto_pad: 'SAME_LOWER' }, geo: { strides: [2, 2], dilations: [1, 1], padsBegin: [1, 1], outSize: [6, 6] } },
    { name: '1-D', x: [2, 2, 5], w: [2, 3, 3], bias: true, attrs: {}, geo: { strides: [1], dilations: [1], padsBegin: [0], outSize: [7] } },
    { name: '3-D', x: [1, 2, 2, 3, 2], w: [2, 2, 2, 2, 3], bias: true, attrs: { strides: [1, 2, 1] }, geo: { strides: [1, 2, 1], dilations: [1, 1, 1], padsBegin: [0, 0, 0], outSize: [3, 6, 4] } },
  ])('ConvTranspose $name', ({ x: xs, w: ws, bias, attrs, geo }) => {
    const x = randomTensor(xs, 4);
    const w = randomTensor(ws, 5);
    const group = (attrs as { group?: number }).group ?? 1;
    const b = bias ? randomTensor([ws[1] * group], 6) : undefined;
    const [y] = runKernel(convTransposeKernel, [x, w, b], attrs as Record<string, number | number[] | string>);
    expect(y.shape).toEqual([xs[0], ws[1] * group, ...geo.outSize]);
    expectClose(y.data as Float32Array, refConvTranspose(x, w, b, group, geo));
  });
});

describe('Conv errors', () => {
  it('explains channel, group and shape mismatches', () => {
    expect(() => runKernel(convKernel, [randomTensor([1, 3, 5, 5], 1), randomTensor([2, 2, 3, 3], 2)])).toThrow(/W has 2 input channels per filter but X has 3 channels/);
    expect(() => runKernel(convKernel, [randomTensor([1, 4, 5, 5], 1), randomTensor([3, 2, 3, 3], 2)], { group: 2 })).toThrow(/group=2 must divide/);
    expect(() => runKernel(convKernel, [randomTensor([1, 1, 5, 5], 1), randomTensor([2, 1, 3, 3], 2), randomTensor([3], 3)])).toThrow(/B must have shape \[2\]/);
    expect(() => runKernel(convKernel, [randomTensor([1, 1, 2, 2], 1), randomTensor([2, 1, 3, 3], 2)])).toThrow(/smaller than the window/);
    expect(() => runKernel(convKernel, [randomTensor([1, 1, 5, 5], 1), randomTensor([2, 1, 3, 3], 2)], { kernel_shape: [2, 2] })).toThrow(/does not match W/);
  });
  it('rejects invalid attributes when the model loads', () => {
    expect(() => runKernel(convKernel, [randomTensor([1, 1, 5, 5], 1), randomTensor([2, 1, 3, 3], 2)], { strides: [0, 1] })).toThrow(ModelError);
    expect(() => runKernel(convKernel, [randomTensor([1, 1, 5, 5], 1), randomTensor([2, 1, 3, 3], 2)], { auto_pad: 'SAME' })).toThrow(/supported: NOTSET, SAME_UPPER/);
    expect(() => runKernel(convKernel, [randomTensor([1, 1, 5, 5], 1), randomTensor([2, 1, 3, 3], 2)], { pads: [1, 1, 1] })).toThrow(/begin and an end/);
  });
});
