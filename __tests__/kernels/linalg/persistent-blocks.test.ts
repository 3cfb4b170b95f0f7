/**
 * Persistent blocks of the WebAssembly kernels (packed weights kept by node plans): the compiler's
 * throw-away sessions leave them to the sessions that stay, and blocks whose holders were garbage
 * collected are reclaimed when the budget runs out, while live holders are never dropped for
 * nothing.
 */
import { installWasmKernels } from '../../../lib/wasm-module';
import { compileModel } from '../../../lib/model-compiler';
import { readArtifact } from '../../../worker/runtime/artifact';
import { InferenceSession } from '../../../worker/runtime/session';
import { allKernels } from '../../../worker/runtime/kernels/registry';
import { Tensor } from '../../../worker/runtime/tensor';
import { wasmKernels, wasmTuning, type WasmKernels } from '../../../worker/runtime/wasm';
import { DT, floatTensor, modelBytes, node, valueInfo } from '../../compiler/onnx-builder';

/** x[N, 64] · w[64, 256]: one MatMul whose weight the wasm GEMM packs. */
function matMulModel(): Uint8Array {
  const w = Array.from({ length: 64 * 256 }, (_, i) => Math.sin(i));
  return modelBytes({
    inputs: [valueInfo('x', DT.FLOAT, ['N', 64])],
    outputs: [valueInfo('y', DT.FLOAT, ['N', 256])],
    nodes: [node('MatMul', ['x', 'w'], ['y'])],
    initializers: [floatTensor('w', [64, 256], w)],
  });
}

/**
 * Stands in for the garbage collector: the finalization registry reports that a holder of the
 * current generation's blocks is gone (when V8 collects it is not up to a test).
 */
function collectHolderOfCurrentGeneration(): void {
  kernels().holderCollected(kernels().persistentGeneration);
}

function kernels(): WasmKernels {
  const wk = wasmKernels();
  if (!wk) throw new Error('the wasm kernels are not installed');
  return wk;
}

describe('persistent blocks of the WebAssembly kernels', () => {
  const savedLimit = wasmTuning.persistentLimitBytes;
  afterEach(() => {
    wasmTuning.persistentLimitBytes = savedLimit;
  });

  it("leaves the compiler's sessions out of the installed kernels' memory", () => {
    installWasmKernels();
    const compiled = compileModel(matMulModel());
    expect(kernels().persistentBytes).toBe(0);
    const session = InferenceSession.create(readArtifact(compiled.artifact), { kernels: allKernels });
    session.run({ x: new Tensor('float32', [2, 64], new Float32Array(128).fill(1)) });
    expect(kernels().persistentBytes).toBe(64 * 256 * 4);
  });

  it('refuses a block past the budget while every holder is alive', () => {
    installWasmKernels();
    wasmTuning.persistentLimitBytes = 4096;
    const holder = {};
    const first = kernels().allocPersistent(1024, holder);
    const generation = kernels().persistentGeneration;
    expect(first).not.toBeNull();
    expect(kernels().allocPersistent(16, {})).toBeNull();
    expect(kernels().persistentGeneration).toBe(generation);
    expect(holder).toBeDefined();
  });

  it('reclaims the blocks of collected holders with a new generation when the budget runs out', () => {
    installWasmKernels();
    wasmTuning.persistentLimitBytes = 4096;
    expect(kernels().allocPersistent(1024, {})).not.toBeNull();
    const before = kernels().persistentGeneration;
    collectHolderOfCurrentGeneration();
    expect(kernels().allocPersistent(512, {})).not.toBeNull();
    expect(kernels().persistentGeneration).not.toBe(before);
    expect(kernels().persistentBytes).toBe(2048);
  });

  it('ignores a collected holder of an older generation', () => {
    installWasmKernels();
    wasmTuning.persistentLimitBytes = 4096;
    const old = kernels().persistentGeneration;
    kernels().allocPersistent(1024, {});
    collectHolderOfCurrentGeneration();
    kernels().allocPersistent(1024, {}); // a new generation
    kernels().holderCollected(old);
    expect(kernels().allocPersistent(16, {})).toBeNull();
  });

  it('gives the same results after a new generation made a live session pack its weights again', () => {
    installWasmKernels();
    const compiled = compileModel(matMulModel());
    const session = InferenceSession.create(readArtifact(compiled.artifact), { kernels: allKernels });
    const x = new Tensor('float32', [3, 64], Float32Array.from({ length: 192 }, (_, i) => Math.cos(i)));
    const expected = session.run({ x }).y.data.slice();
    // a block whose holder is then collected, and a request over the budget
    wasmTuning.persistentLimitBytes = kernels().persistentBytes + 64;
    expect(kernels().allocPersistent(16, {})).not.toBeNull();
    const before = kernels().persistentGeneration;
    collectHolderOfCurrentGeneration();
    expect(kernels().allocPersistent(32, {})).not.toBeNull();
    expect(kernels().persistentGeneration).not.toBe(before);
    // the session's packed weight went with the old generation: it packs it again, in the new one
    wasmTuning.persistentLimitBytes = savedLimit;
    expect(session.run({ x }).y.data).toEqual(expected);
    expect(kernels().persistentBytes).toBe(128 + 64 * 256 * 4);
  });
});
