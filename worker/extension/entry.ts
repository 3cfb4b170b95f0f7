/**
 * The Worker entry of a deployment with hooks: the same app as worker/index.ts, wrapped by the
 * team's hooks. lib/worker-bundle.ts bundles it at synth time with the hooks module and the
 * kernels the model uses, which it passes in.
 */
/// <reference path="../env.d.ts" />
import artifact from './model.bin';
import wasm from './kernels.wasm';
import { createApp } from '../app';
import type { AnyKernel } from '../runtime/kernel';
import { KernelSet } from '../runtime/kernel-set';
import type { EdgeHooks } from './hooks';
import { withHooks } from './with-hooks';

export function serveWithHooks(hooks: EdgeHooks, kernels: readonly AnyKernel[]) {
  const app = createApp({ artifact, wasm, kernels: new KernelSet(kernels) });
  return withHooks((request, env, ctx) => app.fetch(request, env, ctx as never), hooks);
}
