/** Transpose of large float32 tensors in WebAssembly: the same bits as the JavaScript loops. */
import fc from 'fast-check';
import { installWasmKernels } from '../../../lib/wasm-module';
import { transposeInto } from '../../../worker/runtime/kernels/tensor/transpose';
import { useWasmKernels } from '../../../worker/runtime/wasm';

afterAll(() => useWasmKernels(null));

function bothPaths(x: Float32Array, shape: number[], perm: number[]): [Uint32Array, Uint32Array] {
  const js = new Float32Array(x.length);
  const wasm = new Float32Array(x.length);
  useWasmKernels(null);
  transposeInto(x, shape, perm, js);
  installWasmKernels();
  transposeInto(x, shape, perm, wasm);
  useWasmKernels(null);
  return [new Uint32Array(js.buffer), new Uint32Array(wasm.buffer)];
}

function values(n: number): Float32Array {
  const x = new Float32Array(n);
  const bits = new Uint32Array(x.buffer);
  for (let i = 0; i < n; i++) x[i] = Math.sin(i * 0.37) * 100;
  bits[3] = 0x7fc01234; // a NaN with a payload travels unchanged
  return x;
}

describe('Transpose in WebAssembly', () => {
  it.each([
    ['attention head split', [2, 128, 12, 32], [0, 2, 1, 3]],
    ['attention key split', [2, 128, 12, 32], [0, 2, 3, 1]],
    ['attention head merge', [2, 12, 128, 32], [0, 2, 1, 3]],
    ['NCHW to NHWC', [2, 8, 30, 31], [0, 2, 3, 1]],
    ['matrix of odd sizes', [97, 101], [1, 0]],
    ['rank 5 (left to JavaScript)', [3, 4, 5, 6, 7], [4, 2, 0, 3, 1]],
  ])('%s matches the JavaScript path bit for bit', (_label, shape, perm) => {
    const [js, wasm] = bothPaths(values(shape.reduce((a, b) => a * b, 1)), shape, perm);
    expect(wasm).toEqual(js);
  });

  it('matches for random shapes and permutations above the size threshold (property)', () => {
    const shapeAndPerm = fc
      .array(fc.integer({ min: 1, max: 24 }), { minLength: 2, maxLength: 4 })
      .filter((s) => s.reduce((a, b) => a * b, 1) >= 4096)
      .chain((shape) => fc.tuple(fc.constant(shape), fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length, maxLength: shape.length })));
    fc.assert(
      fc.property(shapeAndPerm, ([shape, perm]) => {
        const [js, wasm] = bothPaths(values(shape.reduce((a, b) => a * b, 1)), shape, perm);
        expect(wasm).toEqual(js);
      }),
      { numRuns: 60 },
    );
  });
});
