/**
 * The Worker entry. `model.bin` (the compiled model, a data module) and `kernels.wasm` (the
 * precompiled WebAssembly kernels) are uploaded beside this bundle as separate modules.
 */
/// <reference path="./env.d.ts" />
import artifact from './model.bin';
import wasm from './kernels.wasm';
import { createApp } from './app';

const app = createApp({ artifact, wasm });

export default { fetch: app.fetch };
