/**
 * The real Worker code (esbuild's split build of worker/index.ts and the kernels each model uses)
 * with its model.bin and kernels.wasm modules, running in workerd through Miniflare. One Miniflare per test file, several workers in it.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { createInterface } from 'readline';
import { Miniflare } from 'miniflare';
import { workerBundle, type WorkerModule } from '../../../lib/worker-bundle';
import { artifactOps } from '../../../lib/kernel-selection';
import { compiledModel } from './models';
import { modelConfigText, type ConfigOverrides } from './app-harness';

export const COMPATIBILITY_DATE = '2026-04-01';
export const KERNELS_WASM = path.resolve(__dirname, '../../../worker/wasm/kernels.wasm');

export interface WorkerSpec {
  /** the Miniflare worker name */
  readonly name: string;
  readonly model: 'multi' | 'classifier';
  readonly config?: ConfigOverrides;
}

export interface Workers {
  readonly mf: Miniflare;
  /** every line the Workers wrote to stdout (their JSON log lines) */
  readonly logs: string[];
}

/**
 * A model Worker's modules for Miniflare, as a deployment uploads them: the code built for the
 * artifact's ops (or `code` when given), model.bin and kernels.wasm.
 */
export function workerModules(artifact: Uint8Array, options: { readonly root?: string; readonly code?: readonly WorkerModule[] } = {}) {
  const root = options.root ?? '/worker';
  const code = options.code ?? workerBundle({ ops: artifactOps(artifact) }).modules;
  return [
    ...code.map((m) => ({ type: 'ESModule' as const, path: `${root}/${m.name}`, contents: new Uint8Array(m.code) })),
    { type: 'Data' as const, path: `${root}/model.bin`, contents: new Uint8Array(artifact) },
    { type: 'CompiledWasm' as const, path: `${root}/kernels.wasm`, contents: new Uint8Array(readFileSync(KERNELS_WASM)) },
  ];
}

export function startWorkers(specs: readonly WorkerSpec[]): Workers {
  const logs: string[] = [];
  const mf = new Miniflare({
    handleRuntimeStdio(stdout, stderr) {
      createInterface(stdout).on('line', (line) => logs.push(line));
      createInterface(stderr).on('line', (line) => logs.push(line));
    },
    workers: specs.map((spec) => ({
      name: spec.name,
      compatibilityDate: COMPATIBILITY_DATE,
      modulesRoot: '/worker',
      modules: workerModules(compiledModel(spec.model).artifact),
      bindings: { MODEL_CONFIG: modelConfigText(spec.model, spec.config) },
    })),
  });
  return { mf, logs };
}
