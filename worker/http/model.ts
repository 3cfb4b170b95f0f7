/**
 * The model, loaded once per isolate on first use and shared by every request after.
 *
 * Lazy rather than at module scope: a Worker's global scope must finish within 1 s of startup, and
 * health checks, CORS preflights and misrouted requests never need the model. The load (artifact
 * header parse, weight views without copies, kernel binding) is measured by the tests and reported
 * in the log line of the first request.
 */
import { readArtifact, weightsManifestOf } from '../runtime/artifact';
import type { WeightSegments } from '../runtime/weight-segments';
import { RequestError } from '../protocol/request-error';
import { WEIGHTS_BINDING, WeightsLoadError, loadWeightShards, type WeightsBinding } from '../model-loading/weight-shards';
import { InferenceSession } from '../runtime/session';
import type { KernelLookup } from '../runtime/kernel-set';
import { useWasmKernels } from '../runtime/wasm';
import type { ValueInfo } from '../runtime/graph';
import { zipMapLabels, type ClassLabels } from '../protocol/zipmap-labels';
import { sha256Hex } from './hash';

export interface LoadedModel {
  readonly session: InferenceSession;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  /** hex SHA-256 of the artifact bytes (part of every cache key) */
  readonly artifactSha256: string;
  /** false when the graph draws random numbers: such responses are never cached */
  readonly deterministic: boolean;
  /** class labels of each ZipMap output, for model metadata */
  readonly classLabels: ReadonlyMap<string, ClassLabels>;
  readonly loadMs: number;
  /** time spent reading the weights shards (0 when the weights are in the script) */
  readonly weightsMs: number;
}

const RANDOM_OPS = new Set(['RandomNormal', 'RandomNormalLike', 'RandomUniform', 'RandomUniformLike', 'Multinomial', 'Bernoulli']);

export interface ModelSource {
  readonly artifact: ArrayBuffer;
  readonly wasm?: WebAssembly.Module;
  /** the kernels the model's nodes bind to */
  readonly kernels: KernelLookup;
}

/** Builds the model on first use and then hands out the same one. */
export interface ModelLoader {
  /** The model, loading it on first call; a failed load is retried by the next call. */
  (): Promise<LoadedModel>;
  /** The model once loaded (so that requests after the first need not await a settled promise). */
  readonly loaded: () => LoadedModel | undefined;
  /** Gives the loader the Worker's bindings (the weights binding); the app calls it on every request. */
  readonly useEnv: (env: unknown) => void;
}

export function modelLoader(source: ModelSource): ModelLoader {
  let loading: Promise<LoadedModel> | undefined;
  let loaded: LoadedModel | undefined;
  let env: unknown;
  const loader = () => {
    if (!loading) {
      // Concurrent first requests share this one load.
      loading = load(source, env).then((model) => (loaded = model));
      // A failed load is retried by the next request rather than remembered forever.
      loading.catch(() => (loading = undefined));
    }
    return loading;
  };
  const useEnv = (e: unknown) => {
    if (loaded === undefined) env = e;
  };
  return Object.assign(loader, { loaded: () => loaded, useEnv });
}

async function load(source: ModelSource, env: unknown): Promise<LoadedModel> {
  const started = performance.now();
  if (source.wasm) useWasmKernels(source.wasm);
  const manifest = weightsManifestOf(source.artifact);
  let weights: WeightSegments | undefined;
  if (manifest) {
    const binding = (env as Record<string, WeightsBinding | undefined> | undefined)?.[WEIGHTS_BINDING];
    try {
      weights = await loadWeightShards(manifest, binding);
    } catch (e) {
      if (!(e instanceof WeightsLoadError)) throw e;
      throw new RequestError(503, `the model's weights could not be loaded: ${e.message}; the next request tries again`);
    }
  }
  const weightsMs = performance.now() - started;
  const model = readArtifact(source.artifact, weights);
  const session = InferenceSession.create(model, { kernels: source.kernels });
  const artifactSha256 = await sha256Hex(source.artifact);
  const deterministic = !model.graph.nodes.some((n) => RANDOM_OPS.has(n.op));
  return {
    session,
    inputs: session.inputs,
    outputs: session.outputs,
    artifactSha256,
    deterministic,
    classLabels: zipMapLabels(model.graph),
    loadMs: performance.now() - started,
    weightsMs,
  };
}
