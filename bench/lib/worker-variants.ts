/**
 * The Workers the in-workerd comparisons start, as modules for bench/lib/module-worker.ts:
 *   model-edge  the shipped model Worker (its code modules with the model's kernels, artifact, kernels.wasm)
 *   bare        bench/workers/bare-inference.ts: parse, infer, encode and nothing else
 *   ort-web     bench/workers/ort-web-inference.ts: onnxruntime-web with its .wasm as a module
 *   fixed       one fixed answer, whatever the request: workerd's own floor per request
 */
import { buildSync } from 'esbuild';
import { readFileSync } from 'fs';
import * as path from 'path';
import { localModelConfig } from '../../lib/local/workerd-config';
import { compileModel } from '../../lib/model-compiler';
import { KERNELS_WASM_PATH } from '../../lib/wasm-module';
import { EXTERNAL_MODULES, WORKER_BUILD_OPTIONS, workerBundle } from '../../lib/worker-bundle';
import { artifactOps } from '../../lib/kernel-selection';
import { fixedBodyWorkerSource } from './fixed-worker';
import type { WorkerModule } from './module-worker';

export interface WorkerVariant {
  readonly label: string;
  /** code and wasm: what a deployment uploads besides the model */
  readonly code: readonly WorkerModule[];
  readonly model: WorkerModule;
  readonly textBindings: Record<string, string>;
  readonly livePath: string;
  readonly inferPath: string;
}

function bundle(entry: string, external: readonly string[]): string {
  const r = buildSync({ ...WORKER_BUILD_OPTIONS, entryPoints: [entry], format: 'esm', external: [...external] } as Parameters<typeof buildSync>[0]);
  return r.outputFiles![0].text;
}

const kernels = (): WorkerModule => ({ name: 'kernels.wasm', kind: 'wasm', bytes: readFileSync(KERNELS_WASM_PATH) });
const modelConfig = (name: string) => ({ MODEL_CONFIG: localModelConfig(name, { cache: { enabled: false, ttlSeconds: 60 } }) });

export function modelEdgeWorker(name: string, onnx: Uint8Array): WorkerVariant {
  const artifact = compileModel(onnx).artifact;
  const code = workerBundle({ ops: artifactOps(artifact) }).modules.map((m): WorkerModule => ({ name: m.name, kind: 'esModule', bytes: m.code }));
  return {
    label: 'model-edge',
    code: [...code, kernels()],
    model: { name: 'model.bin', kind: 'data', bytes: artifact },
    textBindings: modelConfig(name),
    livePath: '/v2/health/live',
    inferPath: `/v2/models/${name}/infer`,
  };
}

export function bareWorker(name: string, onnx: Uint8Array): WorkerVariant {
  return {
    label: 'bare handler',
    code: [{ name: 'worker.js', kind: 'esModule', bytes: bundle(path.join(__dirname, '..', 'workers', 'bare-inference.ts'), EXTERNAL_MODULES) }, kernels()],
    model: { name: 'model.bin', kind: 'data', bytes: compileModel(onnx).artifact },
    textBindings: modelConfig(name),
    livePath: '/',
    inferPath: '/',
  };
}

/** onnxruntime-web's WebAssembly build (SIMD; threads unused with numThreads 1). */
export const ORT_WEB_WASM = path.join(path.dirname(require.resolve('onnxruntime-web')), 'ort-wasm-simd-threaded.wasm');

export function ortWebWorker(onnx: Uint8Array): WorkerVariant {
  return {
    label: 'onnxruntime-web Worker',
    code: [
      { name: 'worker.js', kind: 'esModule', bytes: bundle(path.join(__dirname, '..', 'workers', 'ort-web-inference.ts'), ['./ort-wasm.wasm', './model.bin']) },
      { name: 'ort-wasm.wasm', kind: 'wasm', bytes: readFileSync(ORT_WEB_WASM) },
    ],
    model: { name: 'model.bin', kind: 'data', bytes: onnx },
    textBindings: {},
    livePath: '/',
    inferPath: '/',
  };
}

export function fixedWorker(answer: string): WorkerVariant {
  return {
    label: 'fixed answer (workerd floor)',
    code: [{ name: 'worker.js', kind: 'esModule', bytes: fixedBodyWorkerSource(answer) }],
    model: { name: 'unused.bin', kind: 'data', bytes: new Uint8Array(0) },
    textBindings: {},
    livePath: '/',
    inferPath: '/',
  };
}

export const modulesOf = (v: WorkerVariant): WorkerModule[] => [...v.code, v.model];
