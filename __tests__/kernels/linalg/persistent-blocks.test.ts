/**
 * Persistent blocks of the WebAssembly kernels (packed weights kept by node plans): the compiler's
 * throw-away sessions leave them to the sessions that stay, and blocks whose holders were garbage
 * collected are reclaimed when the budget runs out, while live holders are never dropped for
 * nothing.
 */
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import { installWasmKernels } from '../../../lib/wasm-module';
import { compileModel } from '../../../lib/model-compiler';
import { readArtifact } from '../../../worker/runtime/artifact';
import { InferenceSession } from '../../../worker/runtime/session';
import { Tensor } from '../../../worker/runtime/tensor';
import { wasmKernels, wasmTuning, type WasmKernels } from '../../../worker/runtime/wasm';
import { DT, floatTensor, modelBytes, node, valueInfo } from '../../compiler/onnx-builder';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

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
 * Collects garbage until the instance starts a new generation on an allocation past the budget
 * (finalization callbacks run as later tasks, sooner or later: up to about 4 s here).
 */
async function allocateUntilNewGeneration(floats: number): Promise<void> {
  const before = kernels().persistentGeneration;
  for (let i = 0; i < 200 && kernels().persistentGeneration === before; i++) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 20));
    kernels().allocPersistent(floats, {});
  }
  expect(kernels().persistentGeneration).not.toBe(before);
}

/**
 * Allocates a block for a holder that is garbage at once. The holder is made in a timer callback,
 * not in the test: an async test's suspended frame can keep a temporary of its own alive.
 */
function allocateForGarbage(floats: number): Promise<number | null> {
  return new Promise((resolve) => setTimeout(() => resolve(kernels().allocPersistent(floats, {})), 0));
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
    const session = InferenceSession.create(readArtifact(compiled.artifact));
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

  it('reclaims the blocks of collected holders with a new generation when the budget runs out', async () => {
    installWasmKernels();
    wasmTuning.persistentLimitBytes = 4096;
    expect(await allocateForGarbage(1024)).not.toBeNull();
    await allocateUntilNewGeneration(512);
    expect(kernels().persistentBytes).toBe(2048);
  });

  it('gives the same results after a new generation made a live session pack its weights again', async () => {
    installWasmKernels();
    const compiled = compileModel(matMulModel());
    const session = InferenceSession.create(readArtifact(compiled.artifact));
    const x = new Tensor('float32', [3, 64], Float32Array.from({ length: 192 }, (_, i) => Math.cos(i)));
    const expected = session.run({ x }).y.data.slice();
    // room for one more small block, whose holder is garbage at once
    wasmTuning.persistentLimitBytes = kernels().persistentBytes + 64;
    expect(await allocateForGarbage(16)).not.toBeNull();
    await allocateUntilNewGeneration(16);
    expect(session.run({ x }).y.data).toEqual(expected);
  });
});
