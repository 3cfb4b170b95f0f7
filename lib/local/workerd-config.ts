/**
 * The workerd configuration `model-edge serve` runs: one Worker per model (the same code modules,
 * model.bin data module, kernels.wasm and MODEL_CONFIG text binding that a deployment uploads) and
 * the router on the one socket: its own Worker over service bindings for several models, the model
 * Worker's main module for one (see router-worker.ts).
 *
 * The configuration is written in Cap'n Proto's binary form (`workerd serve --binary`), serialized
 * by Miniflare's `serializeConfig`, the way Miniflare drives workerd: the text form makes workerd
 * parse every embedded byte at start-up, a cost that grows with the model and that a model with its
 * weights in the artifact would pay on every cold start; the binary form is read as it lies (the
 * slope of cold start over model size is `npm run bench -- --only assets`).
 *
 * A model whose weights are static assets (artifact feature "external-weights") gets its shard
 * directory as a read-only `disk` service, bound to the model Worker as MODEL_WEIGHTS: the same
 * `fetch` by shard name the deployed Worker makes on its `assets` binding. The directory is on no
 * socket, so, as deployed with run_worker_first, no shard can be fetched from outside.
 *
 * The model Workers' Cache API (`caches.default`) goes to a small in-memory cache service Worker
 * (cache-worker.ts) through workerd's `cacheApiOutbound`, so inference answers are cached locally
 * as at the edge (keyed per model, version, body and API key) and say `Cache-Status: hit`.
 */
import { writeFileSync } from 'fs';
import * as path from 'path';
import type { Config, Service, Worker, Worker_Binding, Worker_Module } from 'miniflare';
import { MODEL_NAME_PATTERN } from '../../worker/env';
import { SERVER_VERSION } from '../../worker/protocol/server';
import { routerWorkerSource } from './router-worker';
import { cacheWorkerSource } from './cache-worker';
import { METRICS_MODULE, metricsBindingSource } from './metrics-binding';
import { LOCAL_SERVING_FIX } from './workerd-process';
import { workerBundle, type WorkerModule } from '../worker-bundle';
import { artifactOps } from '../kernel-selection';

/** The compatibility date the local Worker runs with (the construct deploys with its own). */
export const LOCAL_COMPATIBILITY_DATE = '2026-04-01';

/** The file writeWorkerdConfig writes; startWorkerd runs a `.bin` config with `--binary`. */
export const BINARY_CONFIG_FILE = 'config.bin';

export interface LocalModel {
  /** name in URLs */
  readonly name: string;
  /** the compiled artifact */
  readonly artifact: Uint8Array;
  /** MODEL_CONFIG text; @default {name, version: "local", cache on for 60 s} */
  readonly modelConfig?: string;
  /** the directory of sha256-named weight shards, when the weights are static assets */
  readonly weightsDir?: string;
  /** the Worker's ES modules, main first; @default built as a deployment builds them, with the kernels of the artifact's ops */
  readonly workerModules?: readonly WorkerModule[];
}

export interface WorkerdConfigOptions {
  readonly models: readonly LocalModel[];
  /** worker/wasm/kernels.wasm bytes; omitted -> a bundle that is not given kernels cannot start, so it is required */
  readonly kernelsWasm: Uint8Array;
  readonly host: string;
  readonly port: number;
  /** give the model Workers a MODEL_METRICS dataset binding that prints data points (metrics-binding.ts) @default false */
  readonly metrics?: boolean;
}

/** The MODEL_CONFIG text local serving uses unless a model brings its own. */
export function localModelConfig(name: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ name, version: 'local', cache: { enabled: true, ttlSeconds: 60 }, ...extra });
}

/** Writes `dir`/config.bin for `options` (see workerdConfig); returns its path. */
export function writeWorkerdConfig(options: WorkerdConfigOptions & { readonly dir: string }): string {
  return writeBinaryConfig(options.dir, workerdConfig(options));
}

/** Serializes `config` into `dir`/config.bin; returns its path. */
export function writeBinaryConfig(dir: string, config: Config): string {
  // Loaded here, not at the top: Miniflare is an add-on, needed only to serve locally.
  let serializeConfig: typeof import('miniflare').serializeConfig;
  try {
    ({ serializeConfig } = require('miniflare') as typeof import('miniflare'));
  } catch {
    throw new Error(`local serving needs Miniflare to write workerd's configuration, and it is not installed. ${LOCAL_SERVING_FIX}`);
  }
  const file = path.join(dir, BINARY_CONFIG_FILE);
  writeFileSync(file, serializeConfig(config));
  return file;
}

/** serve's workerd configuration: the router and one Worker per model on one socket. */
export function workerdConfig(options: WorkerdConfigOptions): Config {
  const { models } = options;
  const seen = new Set<string>();
  for (const m of models) {
    if (!MODEL_NAME_PATTERN.test(m.name)) throw new Error(`model name "${m.name}" must match ${MODEL_NAME_PATTERN.source}; rename the file or folder`);
    if (seen.has(m.name)) throw new Error(`two models are named "${m.name}"; each model needs its own name`);
    seen.add(m.name);
  }
  const single = models.length === 1;
  const routes = JSON.stringify(Object.fromEntries(models.map((m, i) => [m.name, single ? '' : `MODEL_${i}`])));
  const routesBinding: Worker_Binding = { name: 'ROUTES', text: routes };
  const services: Service[] = [];
  if (single) {
    // One model: the router is the model Worker's main module and calls the bundle in-process.
    const model = modelWorker(options, 0);
    services.push({
      name: 'model-0',
      worker: {
        ...model,
        modules: [{ name: 'router.js', esModule: routerWorkerSource({ inProcessModule: 'worker.js' }) }, ...model.modules!],
        bindings: [...model.bindings!, routesBinding, serverVersionBinding],
      },
    });
  } else {
    services.push({
      name: 'router',
      worker: {
        modules: [{ name: 'router.js', esModule: routerWorkerSource() }],
        compatibilityDate: LOCAL_COMPATIBILITY_DATE,
        bindings: [routesBinding, serverVersionBinding, ...models.map((_, i) => ({ name: `MODEL_${i}`, service: { name: `model-${i}` } }))],
      },
    });
    models.forEach((_, i) => services.push({ name: `model-${i}`, worker: modelWorker(options, i) }));
  }
  models.forEach((m, i) => {
    if (m.weightsDir) services.push({ name: `weights-${i}`, disk: { path: path.resolve(m.weightsDir), writable: false } });
  });
  services.push({ name: 'cache', worker: { modules: [{ name: 'cache.js', esModule: cacheWorkerSource() }], compatibilityDate: LOCAL_COMPATIBILITY_DATE } });
  return {
    services,
    sockets: [{ name: 'http', address: `${options.host}:${options.port}`, http: {}, service: { name: single ? 'model-0' : 'router' } }],
    ...(options.metrics ? { extensions: [{ modules: [{ name: METRICS_MODULE, internal: true, esModule: metricsBindingSource() }] }] } : {}),
  };
}

const serverVersionBinding: Worker_Binding = { name: 'SERVER_VERSION', text: SERVER_VERSION };

/**
 * Model i's Worker as a deployment uploads it: worker.js (main), model.bin, kernels.wasm and the
 * MODEL_CONFIG binding, plus MODEL_WEIGHTS for asset shards and MODEL_METRICS when metrics are on.
 */
export function modelWorker(options: WorkerdConfigOptions, i: number): Worker & { modules: Worker_Module[]; bindings: Worker_Binding[] } {
  const m = options.models[i];
  const bindings: Worker_Binding[] = [{ name: 'MODEL_CONFIG', text: m.modelConfig ?? localModelConfig(m.name) }];
  if (options.metrics) bindings.push({ name: 'MODEL_METRICS', wrapped: { moduleName: METRICS_MODULE } });
  if (m.weightsDir) bindings.push({ name: 'MODEL_WEIGHTS', service: { name: `weights-${i}` } });
  return {
    modules: [
      ...(m.workerModules ?? workerBundle({ ops: artifactOps(m.artifact) }).modules).map((c) => ({ name: c.name, esModule: Buffer.from(c.code).toString('utf8') })),
      { name: 'model.bin', data: m.artifact },
      { name: 'kernels.wasm', wasm: options.kernelsWasm },
    ],
    compatibilityDate: LOCAL_COMPATIBILITY_DATE,
    bindings,
    cacheApiOutbound: { name: 'cache' },
  };
}
