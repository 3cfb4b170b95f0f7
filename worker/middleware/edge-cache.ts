/**
 * Caches successful inference responses in the data center's Cache API (`caches.default`).
 *
 * The Cache API only keys GET requests, so a POST is stored under a synthetic GET URL on the
 * request's own host: /__model-edge/cache/<sha256 of artifact sha, model version, route, canonical
 * body, caller key digest>. The caller's key digest keeps tenants apart. Only 200 answers are
 * stored; errors never are. `Cache-Status` says hit, miss or bypass (caching off, a model that
 * draws random numbers, or no Cache API, as in plain workerd).
 */
import { createMiddleware } from 'hono/factory';
import type { Context, Next } from 'hono';
import { sha256Hex } from './hash';
import { round } from './request-context';
import type { AppEnv } from './types';

/** The subset of the Workers Cache API this uses. */
interface EdgeCache {
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

export interface EdgeCacheOptions {
  /** @default caches.default when the runtime has one */
  readonly cache?: () => EdgeCache | undefined;
}

export function edgeCache(options: EdgeCacheOptions = {}) {
  const cacheOf = options.cache ?? defaultEdgeCache;
  return createMiddleware<AppEnv>(function edgeCacheMiddleware(c, next) {
    const config = c.get('config');
    const model = c.get('model');
    const cache = config.cache.enabled && model.deterministic ? cacheOf() : undefined;
    const canonical = cache ? canonicalJson(c.get('body')) : undefined;
    if (!cache || canonical === undefined) {
      // Nothing to hash or look up: every answer, errors included, says bypass.
      c.set('cacheStatus', 'bypass');
      c.get('responseHeaders')['Cache-Status'] = 'bypass';
      return next();
    }
    return throughCache(c, next, cache, canonical);
  });
}

async function throughCache(c: Context<AppEnv>, next: Next, cache: EdgeCache, canonical: string): Promise<Response | void> {
  const config = c.get('config');
  const model = c.get('model');
  const digest = await sha256Hex(
    JSON.stringify([model.artifactSha256, config.version, c.req.path, canonical, c.get('callerKeySha256') ?? '']),
  );
  const key = new URL(`/__model-edge/cache/${digest}`, c.req.url).toString();

  const cached = await cache.match(key).catch(() => undefined);
  if (cached) {
    c.set('cacheStatus', 'hit');
    const headers = new Headers(cached.headers);
    headers.delete('Cache-Control');
    headers.set('Cache-Status', 'hit');
    headers.set('Server-Timing', serverTiming(c, c.get('parseMs'), 0));
    return new Response(cached.body, { status: 200, headers });
  }

  c.set('cacheStatus', 'miss');
  await next();
  const ok = c.res.status === 200 && !c.error;
  c.res.headers.set('Cache-Status', ok ? 'miss' : 'bypass');
  if (!ok) {
    c.set('cacheStatus', 'bypass');
    return;
  }
  const stored = new Response(c.res.clone().body, { status: 200, headers: c.res.headers });
  stored.headers.set('Cache-Control', `public, max-age=${config.cache.ttlSeconds}`);
  // Only what the handler produced is shared: request id, CORS and version headers are per request.
  for (const name of Object.keys(c.get('responseHeaders'))) stored.headers.delete(name);
  const put = cache.put(key, stored).catch(() => undefined);
  waitUntil(c, put);
}

/** `Server-Timing: parse;dur=..,infer;dur=..,total;dur=..` for the request so far. */
export function serverTiming(c: Context<AppEnv>, parseMs: number, inferMs: number): string {
  const total = performance.now() - c.get('startedAt');
  return `parse;dur=${round(parseMs)},infer;dur=${round(inferMs)},total;dur=${round(total)}`;
}

function waitUntil(c: Context<AppEnv>, promise: Promise<unknown>): void {
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
