/**
 * Caches successful inference responses in the data center's Cache API (`caches.default`).
 *
 * The Cache API only keys GET requests, so a POST is stored under a synthetic GET URL on the
 * request's own host: /__model-edge/cache/<sha256 of artifact sha, model version, route, canonical
 * body, caller key digest>. The caller's key digest keeps tenants apart. Only 200 answers are
 * stored; errors never are. `Cache-Status` says hit, miss or bypass (caching off, a model that
 * draws random numbers, or no Cache API, as in plain workerd).
 */
import type { ModelConfig } from '../env';
import { sha256Hex } from './hash';
import { round } from './log-line';
import type { LoadedModel } from './model';
import type { AppContext, RequestState } from './types';

/** The subset of the Workers Cache API this uses. */
export interface EdgeCache {
  match(request: Request | string): Promise<Response | undefined>;
  put(request: Request | string, response: Response): Promise<void>;
}

export function defaultEdgeCache(): EdgeCache | undefined {
  try {
    return (globalThis as { caches?: { default?: EdgeCache } }).caches?.default;
  } catch {
    // workerd without a cache service throws "No Cache was configured" on access.
    return undefined;
  }
}

/** The cache to answer this model's inferences from, or undefined when they are not cached. */
export function cacheFor(config: ModelConfig, model: LoadedModel, cacheOf: () => EdgeCache | undefined = defaultEdgeCache): EdgeCache | undefined {
  return config.cache.enabled && model.deterministic ? cacheOf() : undefined;
}

/** Parses state.body, runs the model and answers (with jsonResponse); throws for a bad request. */
export type Produce = (state: RequestState, config: ModelConfig, model: LoadedModel) => Response;

/**
 * Answers an inference through the cache: a stored answer when there is one, else `produce`'s,
 * stored when it is a 200. Without a cache (or with a body too deep to canonicalize), `produce`
 * answers and every answer, errors included, says bypass.
 */
export async function throughCache(
  c: AppContext,
  state: RequestState,
  config: ModelConfig,
  model: LoadedModel,
  cache: EdgeCache | undefined,
  produce: Produce,
): Promise<Response> {
  const canonical = cache ? canonicalJson(state.body) : undefined;
  if (!cache || canonical === undefined) {
    state.cacheStatus = 'bypass';
    state.headers['Cache-Status'] = 'bypass';
    return produce(state, config, model);
  }
  const digest = await sha256Hex(
    JSON.stringify([model.artifactSha256, config.version, c.req.path, canonical, state.callerKeySha256 ?? '']),
  );
  const key = new URL(`/__model-edge/cache/${digest}`, c.req.url).toString();

  const cached = await cache.match(key).catch(() => undefined);
  if (cached) {
    state.cacheStatus = 'hit';
    const headers = new Headers(cached.headers);
    headers.delete('Cache-Control');
    headers.set('Cache-Status', 'hit');
    headers.set('Server-Timing', serverTiming(state, state.parseMs, 0));
    return new Response(cached.body, { status: 200, headers });
  }

  state.cacheStatus = 'miss';
  state.headers['Cache-Status'] = 'miss';
  let res: Response;
  try {
    res = produce(state, config, model);
  } catch (err) {
    // An answer that fails says bypass (the error handler answers with the request's headers).
    state.cacheStatus = 'bypass';
    state.headers['Cache-Status'] = 'bypass';
    throw err;
  }
  if (res.status !== 200) {
    state.cacheStatus = 'bypass';
    res.headers.set('Cache-Status', 'bypass');
    return res;
  }
  const stored = new Response(res.clone().body, { status: 200, headers: res.headers });
  stored.headers.set('Cache-Control', `public, max-age=${config.cache.ttlSeconds}`);
  // Only what the handler produced is shared: request id, CORS and version headers are per request.
  for (const name of Object.keys(state.headers)) if (name !== 'Cache-Status') stored.headers.delete(name);
  const put = cache.put(key, stored).catch(() => undefined);
  waitUntil(c, put);
  return res;
}

/** `Server-Timing: parse;dur=..,infer;dur=..,total;dur=..` for the request so far. */
export function serverTiming(state: RequestState, parseMs: number, inferMs: number): string {
  const total = performance.now() - state.startedAt;
  return `parse;dur=${round(parseMs)},infer;dur=${round(inferMs)},total;dur=${round(total)}`;
}

function waitUntil(c: AppContext, promise: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(promise);
  } catch {
    // No execution context (app.request in tests): the put simply runs to completion on its own.
  }
}

/**
 * JSON with object keys sorted, so that key order does not split cache entries. Undefined when the
 * value is too deeply nested to walk safely (such a request is then not cached).
 */
export function canonicalJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(sortKeys(value, 0));
  } catch {
    return undefined;
  }
}

const MAX_DEPTH = 64;

function sortKeys(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new RangeError('too deep');
  if (Array.isArray(value)) {
    // Arrays of plain numbers (the bulk of a tensor) need no walk.
    if (value.length > 0 && typeof value[0] !== 'object') {
      if (value.every((v) => typeof v !== 'object' || v === null)) return value;
    }
    return value.map((v) => sortKeys(v, depth + 1));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k], depth + 1);
    return out;
  }
  return value;
}
