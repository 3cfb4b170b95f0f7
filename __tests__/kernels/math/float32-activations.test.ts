/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * erf, GELU and Softmax on float32: the float32-arithmetic JavaScript path and the WebAssembly SIMD
 * path give the same bits, both stay within a few float32 ulp of the exact functions, and the
 * kernels built on them match onnxruntime-node.
 */
import { installWasmKernels } from '../../../lib/wasm-module';
import { erf } from '../../../worker/runtime/kernels/math/erf';
import { erfIntoF32, geluIntoF32, softmaxIntoF32 } from '../../../worker/runtime/kernels/math/float32-activations';
import { erfF32, expF32, EXP_LOWER } from '../../../worker/runtime/kernels/math/float32-math';
import { Tensor } from '../../../worker/runtime/tensor';
import { useWasmKernels } from '../../../worker/runtime/wasm';
import { attr, node } from '../../support/onnx-builder';
import { expectMatchesOrt, seeded } from '../contrib/ort-contrib';

afterAll(() => useWasmKernels(null));

/** Values over [-6, 6) with the special cases in front. */
function inputs(n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = ((Math.sin(i * 12.9898) * 43758.5453) % 1) * 6;
  x.set([NaN, Infinity, -Infinity, -0, 0, 0.921875, -0.921875, 3.925, 1e-30, -1e-8]);
  return x;
}

/** Runs `fn` without and with the WebAssembly kernels; returns both outputs. */
function bothPaths(n: number, fn: (y: Float32Array) => void): [Float32Array, Float32Array] {
  const js = new Float32Array(n);
  const wasm = new Float32Array(n);
  useWasmKernels(null);
  fn(js);
  installWasmKernels();
  fn(wasm);
  useWasmKernels(null);
  return [js, wasm];
}

function expectSameBits(a: Float32Array, b: Float32Array): void {
  expect(new Uint32Array(b.buffer)).toEqual(new Uint32Array(a.buffer));
}

describe('float32 erf and exp', () => {
  it('erf is within 2 float32 ulp of 1 (absolute) of the exact function on [-6, 6]', () => {
    let worst = 0;
    for (let i = 0; i <= 600000; i++) {
      const x = Math.fround(-6 + i / 50000);
      worst = Math.max(worst, Math.abs(erfF32(x) - erf(x)));
    }
    expect(worst).toBeLessThan(2 * 2 ** -24);
  });

  it('erf keeps the special values', () => {
    expect(erfF32(NaN)).toBeNaN();
    expect([erfF32(Infinity), erfF32(-Infinity), erfF32(10), erfF32(-10)]).toEqual([1, -1, 1, -1]);
    expect(Object.is(erfF32(-0), -0)).toBe(true);
  });

  it('exp is within 1 float32 ulp (relative) over the clamped range', () => {
    let worst = 0;
    for (let i = 0; i <= 200000; i++) {
      const x = Math.fround(EXP_LOWER + (i / 200000) * (88 - EXP_LOWER));
      worst = Math.max(worst, Math.abs(expF32(x) / Math.exp(x) - 1));
    }
    expect(worst).toBeLessThan(2 ** -23);
  });
});

describe('the WebAssembly path equals the JavaScript path bit for bit', () => {
  const n = 4099; // a SIMD tail of 3
  const x = inputs(n);

  it('erf', () => expectSameBits(...bothPaths(n, (y) => erfIntoF32(x, y, n))));

  it('GELU without and with a bias of width 7 (rows that end inside a SIMD vector)', () => {
    expectSameBits(...bothPaths(n, (y) => geluIntoF32(x, null, 1, y, n)));
    const bias = Float32Array.from({ length: 7 }, (_, i) => i / 4 - 0.75);
    const m = 7 * 585;
    expectSameBits(...bothPaths(m, (y) => geluIntoF32(x, bias, 7, y, m)));
  });

  it('GELU with a bias of width 45 (rows of four-vector, two-vector, one-vector steps and a tail)', () => {
    const bias = Float32Array.from({ length: 45 }, (_, i) => i / 16 - 1.25);
    const m = 45 * 91;
    expectSameBits(...bothPaths(m, (y) => geluIntoF32(x, bias, 45, y, m)));
  });

  it.each([128, 131, 5, 1])('Softmax over rows of %i', (len) => {
    const rows = Math.floor(n / len);
    const finite = x.map((v, i) => (i < 3 ? 100 - i : v)); // no NaN/Infinity: a row is not all NaN
    const [js, wasm] = bothPaths(rows * len, (y) => softmaxIntoF32(finite, y, rows, len));
    expectSameBits(js, wasm);
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let j = 0; j < len; j++) sum += js[r * len + j];
      expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
    }
  });
});

describe('float32 kernels match onnxruntime', () => {
  const X = () => Tensor.from('float32', [3, 128, 11], Array.from(inputs(3 * 128 * 11).subarray(10)).concat(Array(10).fill(0.5)));

  describe.each([
    ['JavaScript', false],
    ['WebAssembly', true],
  ])('%s', (_label, wasm) => {
    beforeEach(() => (wasm ? installWasmKernels() : useWasmKernels(null)));

    it('Erf', () => expectMatchesOrt({ nodes: [node('Erf', ['X'], ['Y'])], feeds: { X: X() }, outputs: [['Y', 'float32']] }, { atol: 2e-7, rtol: 0 }));

    it('Gelu (com.microsoft)', () =>
      expectMatchesOrt({ nodes: [node('Gelu', ['X'], ['Y'], {}, 'com.microsoft')], feeds: { X: X() }, outputs: [['Y', 'float32']] }, { atol: 1e-6, rtol: 1e-6 }));

    it.each(['Softmax', 'LogSoftmax'])('%s along the last axis and a middle axis', (op) =>
      expectMatchesOrt({
        nodes: [node(op, ['X'], ['Y']), node(op, ['X'], ['Z'], { axis: attr.int(1) })],
        feeds: { X: seeded([4, 12, 33], -20, 20) },
        outputs: [['Y', 'float32'], ['Z', 'float32']],
      }, { atol: 1e-6, rtol: 1e-5 }));
  });
});
