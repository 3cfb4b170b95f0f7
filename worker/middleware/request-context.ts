/**
 * The one global middleware: request id, timing, the checks every route but liveness needs
 * (MODEL_CONFIG, CORS and preflights, API key, X-Model-Version), and the one JSON log line per
 * request (Workers Logs indexes the fields). It runs first, so it also sees the responses the
 * error handler produced.
 *
 * One middleware rather than one per concern: each Hono layer costs a promise, a dispatch and a
 * closure per request, which measured several percent of a small inference request in workerd.
 * Each concern still lives in its own module (model-config, cors, api-key); this only calls them
 * in order.
 */
import type { Next } from 'hono';
import { configOf } from './model-config';
import { applyCors } from './cors';
import { checkApiKey } from './api-key';
import { onError } from './error-handler';
import { applyResponseHeaders } from './response-headers';
import { randomRequestId } from './request-id';
import { logLine } from './log-line';
import type { AppContext, LogSink, RequestState } from './types';

const INCOMING_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The liveness probe answers without the model's config (it must work even when that is broken). */
const LIVE_PATH = '/v2/health/live';

export interface RequestContextOptions {
  /** Where log lines go. @default console.log */
  readonly log?: LogSink;
}

export function requestContext(options: RequestContextOptions = {}) {
  const log = options.log ?? ((line: string) => console.log(line));
  return async function requestContextMiddleware(c: AppContext, next: Next): Promise<void> {
    const state = beginRequest(c);
    let early: Response | undefined;
    if (!isLiveProbe(c)) {
      try {
        const admitted = admit(c, state);
        if (admitted instanceof Response) early = admitted;
        else if (admitted !== undefined) await admitted;
      } catch (err) {
        if (!(err instanceof Error)) throw err;
        early = onError(err, c);
      }
    }
    if (early !== undefined) c.res = early;
    else await next();
    applyResponseHeaders(c, state);
    log(logLine(c, state));
  };
}

function beginRequest(c: AppContext): RequestState {
  const startedAt = performance.now();
  const incoming = c.req.header('x-request-id');
  // An echoed id must be a plain token: no header injection, no log pollution.
  const requestId = incoming !== undefined && INCOMING_ID.test(incoming) ? incoming : randomRequestId();
  const state: RequestState = {
    requestId,
    startedAt,
    headers: { 'X-Request-Id': requestId },
    config: undefined,
    model: undefined,
    body: undefined,
    parseMs: 0,
    cacheStatus: 'bypass',
    callerKeySha256: undefined,
    fault: undefined,
    completeResponse: undefined,
  };
  c.set('state', state);
  return state;
}

function isLiveProbe(c: AppContext): boolean {
  if (c.req.path !== LIVE_PATH) return false;
  const method = c.req.method;
  return method === 'GET' || method === 'HEAD';
}

/**
 * Config, then CORS (a preflight is answered here, before authentication: browsers send it
 * without credentials), then the API key, then X-Model-Version (not on answers refused before).
 * A Response is an answer; a promise is the key check under way.
 */
function admit(c: AppContext, state: RequestState): Response | Promise<void> | undefined {
  const config = configOf(c.env?.MODEL_CONFIG);
  state.config = config;
  const preflight = applyCors(c, state, config);
  if (preflight !== undefined) return preflight;
  const keyCheck = checkApiKey(c, state, config);
  if (keyCheck !== undefined) {
    return keyCheck.then(() => {
      state.headers['X-Model-Version'] = config.version;
    });
  }
  state.headers['X-Model-Version'] = config.version;
  return undefined;
}
