/**
 * The Worker entry of a deployment with hooks: the same app as worker/index.ts, wrapped by the
 * team's hooks. lib/worker-bundle.ts bundles it with the hooks module at synth time.
 */
/// <reference path="../env.d.ts" />
import artifact from './model.bin';
import wasm from './kernels.wasm';
import { createApp } from '../app';
import type { EdgeHooks } from './hooks';
import { withHooks } from './with-hooks';

export function serveWithHooks(hooks: EdgeHooks) {
  const app = createApp({ artifact, wasm });
  return withHooks((request, env, ctx) => app.fetch(request, env, ctx as never), hooks);
}
