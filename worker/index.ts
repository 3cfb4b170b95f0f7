/**
 * The Worker entry. `model.bin` (the compiled model, a data module), `kernels.wasm` (the
 * precompiled WebAssembly kernels) and `model-kernels.js` (the kernels the model's graph uses,
 * written at synth time by lib/kernel-selection.ts) are uploaded beside this module.
 */
/// <reference path="./env.d.ts" />
import artifact from './model.bin';
import wasm from './kernels.wasm';
import kernels from './model-kernels.js';
import { createApp } from './app';
import { KernelSet } from './runtime/kernel-set';

const app = createApp({ artifact, wasm, kernels: new KernelSet(kernels) });

export default { fetch: app.fetch };
