/**
 * The inference endpoints (V2 infer, V1 :predict) as one flat handler each: route check, body read,
 * model, cache, then the protocol's parse + run + encode, called in order as plain functions.
 *
 * Why not a middleware per step: every Hono layer is an async closure, a dispatch and a promise per
 * request, and inference is the path that serves the traffic. The steps are the same functions the
 * other routes use (checkModelRoute, readJsonBody, the model loader, throughCache).
 */
import { configOfState, type AppContext, type RequestState } from '../middleware/types';
import type { ModelLoader } from '../middleware/model';
import { readJsonBody } from '../middleware/json-body';
import { cacheFor, throughCache, type EdgeCache, type Produce } from '../middleware/edge-cache';
import { checkModelRoute } from './model-route';

/** Parses state.body, runs the model and answers (with jsonResponse); throws for a bad request. */
export type Infer = Produce;

export interface InferenceOptions {
  /** @default caches.default when the runtime has one */
  readonly cache?: () => EdgeCache | undefined;
}

export function inferenceHandler(loader: ModelLoader, infer: Infer, options: InferenceOptions = {}) {
  const cacheOf = options.cache;
  return async function inference(c: AppContext, state: RequestState): Promise<Response> {
    const config = configOfState(state);
    checkModelRoute(c, config);
    const readStart = performance.now();
    state.body = await readJsonBody(c.req, config.limits.maxBodyBytes);
    state.parseMs = performance.now() - readStart;
    const model = loader.loaded() ?? (await loader());
    state.model = model;
    return throughCache(c, state, config, model, cacheFor(config, model, cacheOf), infer);
  };
}
