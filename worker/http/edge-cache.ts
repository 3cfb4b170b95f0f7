/**
 * Caches successful inference answers in the data center's Cache API (`caches.default`).
 *
 * The Cache API only keys GET requests, so a POST is stored under a synthetic GET URL on the
 * request's own host: /__model-edge/cache/<sha256 of artifact sha, model version, route, caller
 * key digest, JSON header length, and the request body byte for byte>. The exact bytes keep every
 * bit that can change the answer (signed zeros, binary tensors); the caller's key digest keeps
 * tenants apart. Only 200 answers are stored; errors never are. The request's Cache-Status says
 * hit, miss or bypass (caching off, a model that draws random numbers, or no Cache API).
 */
import type { ModelConfig } from '../env';
import type { RequestBody } from '../protocol/request-body';
import type { Answer } from '../protocol/answer';
import { sha256Hex } from './hash';
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

const ENCODER = new TextEncoder();

/** The synthetic GET URL the answer to this request is stored under. */
export async function cacheKey(c: AppContext, state: RequestState, config: ModelConfig, model: LoadedModel, body: RequestBody): Promise<string> {
  const prefix = ENCODER.encode(
    JSON.stringify([model.artifactSha256, config.version, c.req.path, state.callerKeySha256 ?? '', body.binary ? body.jsonLength : -1]) + '\n',
  );
  const keyed = new Uint8Array(prefix.length + body.bytes.length);
  keyed.set(prefix, 0);
  keyed.set(body.bytes, prefix.length);
  return new URL(`/__model-edge/cache/${await sha256Hex(keyed)}`, c.req.url).toString();
}

/** The stored answer, or undefined (a failing cache is a miss, never an error). */
export function lookup(cache: EdgeCache, key: string): Promise<Response | undefined> {
  return cache.match(key).catch(() => undefined);
}

/** The stored answer as this request's response: its body and protocol headers, this request's own headers. */
export function hitResponse(cached: Response, serverTiming: string): Response {
  const headers = new Headers(cached.headers);
  headers.delete('Cache-Control');
  headers.delete('CF-Cache-Status');
  headers.set('Server-Timing', serverTiming);
  // requestContext adds the per-request headers (Cache-Status: hit among them).
  return new Response(cached.body, { status: 200, headers });
}

/** Stores a 200 answer: only what the protocol produced, never the per-request headers. */
export function store(c: AppContext, cache: EdgeCache, key: string, answer: Answer, config: ModelConfig): void {
  const headers: Record<string, string> = { 'Content-Type': answer.contentType, 'Cache-Control': `public, max-age=${config.cache.ttlSeconds}` };
  if (answer.headers) Object.assign(headers, answer.headers);
  const put = cache.put(key, new Response(answer.body, { status: 200, headers })).catch(() => undefined);
  try {
    c.executionCtx.waitUntil(put);
  } catch {
    // No execution context (app.request in tests): the put simply runs to completion on its own.
  }
}
