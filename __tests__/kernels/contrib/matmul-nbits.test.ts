/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * MatMulNBits (com.microsoft, 4-bit) against onnxruntime-node for block sizes 16 to 128, with
 * and without zero points (packed uint8 or float32) and bias, K not a multiple of the block; the
 * WebAssembly and JavaScript paths give the same bits.
 */
import { installWasmKernels } from '../../../lib/wasm-module';
import { matMulNBitsKernel } from '../../../worker/runtime/kernels/contrib/matmul-nbits';
import { useWasmKernels, wasmTuning } from '../../../worker/runtime/wasm';
import { ModelError } from '../../../worker/runtime/errors';
import { Tensor } from '../../../worker/runtime/tensor';
import { quantize4Bit } from '../../support/nbits-quantize';
import { attr, node } from '../../support/onnx-builder';
import { KernelReplay, parseKernelAttributes, runKernel } from '../kernel-harness';
import { expectMatchesOrt, MS, seeded } from './ort-contrib';

const N = 23; // five groups of four columns and a tail of three
const K = 200;

function nbitsCase(blockSize: number, zp: 'none' | 'uint8' | 'float', withBias: boolean, aShape: number[] = [2, 3, K]) {
  const q = quantize4Bit(seeded([N, K]).data, N, K, blockSize, zp === 'none');
  const kBlocks = Math.ceil(K / blockSize);
  const zeroPoints = zp === 'float' ? seeded([N * kBlocks], 6, 10) : q.zeroPoints;
  const init: Record<string, Tensor> = { B: q.b, scales: q.scales };
  const names = ['A', 'B', 'scales'];
  if (zeroPoints) init.zp = zeroPoints;
  names.push(zeroPoints ? 'zp' : '', '');
  if (withBias) init.bias = seeded([N]);
  names.push(withBias ? 'bias' : '');
  while (names[names.length - 1] === '') names.pop();
  const attributes = { K: attr.int(K), N: attr.int(N), bits: attr.int(4), block_size: attr.int(blockSize) };
  return { nodes: [node('MatMulNBits', names, ['Y'], attributes, MS)], feeds: { A: seeded(aShape) }, initializers: init, outputs: [['Y', 'float32']] as const };
}

describe.each([
  ['JavaScript', false],
  ['WebAssembly', true],
])('MatMulNBits matches onnxruntime (%s)', (_label, wasm) => {
  beforeAll(() => (wasm ? installWasmKernels() : useWasmKernels(null)));
  afterAll(() => useWasmKernels(null));

  it.each([16, 32, 64, 128])('block_size %i, packed zero points, bias', (blockSize) => expectMatchesOrt(nbitsCase(blockSize, 'uint8', true)));
  it.each([16, 128])('block_size %i, symmetric (no zero points)', (blockSize) => expectMatchesOrt(nbitsCase(blockSize, 'none', false)));
  it('float zero points, a 2-D A', () => expectMatchesOrt(nbitsCase(32, 'float', false, [5, K])));
});

describe('MatMulNBits', () => {
  afterAll(() => useWasmKernels(null));

  it('gives the same bits in WebAssembly and JavaScript, replayed with weights kept in wasm memory', () => {
    const c = nbitsCase(32, 'uint8', true);
    const init = c.initializers as Record<string, Tensor>;
    const inputs = [c.feeds.A, init.B, init.scales, init.zp, undefined, init.bias];
    const attributes = { K, N, bits: 4, block_size: 32 };
    useWasmKernels(null);
    const js = Array.from(runKernel(matMulNBitsKernel, inputs, { attributes })[0].data as Float32Array);
    installWasmKernels();
    const replay = new KernelReplay(matMulNBitsKernel, inputs.length, { attributes, weights: [1, 2, 3, 5] });
    for (let i = 0; i < 3; i++) expect(Array.from(replay.run(inputs)[0].data as Float32Array)).toEqual(js);
    // past the persistent-memory budget the weights are copied in per call, with the same result
    const limit = wasmTuning.persistentLimitBytes;
    wasmTuning.persistentLimitBytes = 0;
    try {
      installWasmKernels();
      const uncached = new KernelReplay(matMulNBitsKernel, inputs.length, { attributes, weights: [1, 2, 3, 5] });
      for (let i = 0; i < 2; i++) expect(Array.from(uncached.run(inputs)[0].data as Float32Array)).toEqual(js);
    } finally {
      wasmTuning.persistentLimitBytes = limit;
    }
  });

  it('names bad attributes and operands', () => {
    expect(() => parseKernelAttributes(matMulNBitsKernel, { K, N, bits: 3, block_size: 32 })).toThrow(ModelError);
    expect(() => parseKernelAttributes(matMulNBitsKernel, { K, N, block_size: 24 })).toThrow(/power of 2 >= 16/);
    const q = quantize4Bit(seeded([N, K]).data, N, K, 32, true);
    expect(() => runKernel(matMulNBitsKernel, [seeded([2, K + 1]), q.b, q.scales], { attributes: { K, N, block_size: 32 } })).toThrow(/must end in K = 200/);
    expect(() => runKernel(matMulNBitsKernel, [seeded([2, K]), q.b, q.scales], { attributes: { K, N, block_size: 64 } })).toThrow(/B must be uint8 \[N, k_blocks, block_size \/ 2\] = \[23, 4, 32\]/);
  });
});
