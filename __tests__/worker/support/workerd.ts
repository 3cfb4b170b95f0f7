/**
 * The real Worker bundle (esbuild output of worker/index.ts) with its model.bin and kernels.wasm
 * modules, running in workerd through Miniflare. One Miniflare per test file, several workers in it.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { createInterface } from 'readline';
import { Miniflare } from 'miniflare';
import { bundleWorker } from '../../../lib/worker-bundle';
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

export function startWorkers(specs: readonly WorkerSpec[]): Workers {
  const bundle = bundleWorker();
  const wasm = readFileSync(KERNELS_WASM);
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
      modules: [
        { type: 'ESModule' as const, path: '/worker/index.js', contents: new Uint8Array(bundle.code) },
        { type: 'Data' as const, path: '/worker/model.bin', contents: new Uint8Array(compiledModel(spec.model).artifact) },
        { type: 'CompiledWasm' as const, path: '/worker/kernels.wasm', contents: new Uint8Array(wasm) },
      ],
      bindings: { MODEL_CONFIG: modelConfigText(spec.model, spec.config) },
    })),
  });
  return { mf, logs };
}
