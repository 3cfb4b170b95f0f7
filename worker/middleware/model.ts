/**
 * The model, loaded once per isolate on first use and shared by every request after.
 *
 * Lazy rather than at module scope: a Worker's global scope must finish within 1 s of startup, and
 * health checks, CORS preflights and misrouted requests never need the model. The load (artifact
 * header parse, weight views without copies, kernel binding) is measured by the tests and reported
 * in the log line of the first request.
 */
import { createMiddleware } from 'hono/factory';
import { readArtifact } from '../runtime/artifact';
import { InferenceSession } from '../runtime/session';
import { useWasmKernels } from '../runtime/wasm';
import type { ValueInfo } from '../runtime/graph';
import type { AppEnv } from './types';
import { sha256Hex } from './hash';

export interface LoadedModel {
  readonly session: InferenceSession;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  /** hex SHA-256 of the artifact bytes (part of every cache key) */
  readonly artifactSha256: string;
  /** false when the graph draws random numbers: such responses are never cached */
  readonly deterministic: boolean;
  readonly loadMs: number;
}

const RANDOM_OPS = new Set(['RandomNormal', 'RandomNormalLike', 'RandomUniform', 'RandomUniformLike', 'Multinomial', 'Bernoulli']);

export interface ModelSource {
  readonly artifact: ArrayBuffer;
  readonly wasm?: WebAssembly.Module;
}

/** Returns a loader that builds the model on first call and then returns the same promise. */
export function modelLoader(source: ModelSource): () => Promise<LoadedModel> {
  let loading: Promise<LoadedModel> | undefined;
  return () => {
    if (!loading) {
      loading = load(source);
      // A failed load is retried by the next request rather than remembered forever.
      loading.catch(() => (loading = undefined));
    }
    return loading;
  };
}

async function load(source: ModelSource): Promise<LoadedModel> {
  const started = performance.now();
  if (source.wasm) useWasmKernels(source.wasm);
  const model = readArtifact(source.artifact);
  const session = InferenceSession.create(model);
  const artifactSha256 = await sha256Hex(source.artifact);
  const deterministic = !model.graph.nodes.some((n) => RANDOM_OPS.has(n.op));
  return {
    session,
    inputs: session.inputs,
    outputs: session.outputs,
    artifactSha256,
    deterministic,
    loadMs: performance.now() - started,
  };
}

/** Makes the loaded model available as c.var.model. */
export function withModel(loader: () => Promise<LoadedModel>) {
  // Once loaded, the model is handed over without awaiting the settled promise on every request.
  let loaded: LoadedModel | undefined;
  return createMiddleware<AppEnv>(function withModelMiddleware(c, next) {
    if (loaded) {
      c.set('model', loaded);
      return next();
    }
    return loader().then((model) => {
      loaded = model;
      c.set('model', model);
      return next();
    });
  });
}
