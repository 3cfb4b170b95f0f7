/**
 * What every request goes through around its route's handler: request id, timing, the checks every
 * route but liveness needs (MODEL_CONFIG, CORS and preflights, API key, X-Model-Version), the error
 * handler (whatever is thrown), draining a body left unread, the one JSON log line per request
 * (Workers Logs indexes the fields) and, when configured, the one metrics data point.
 *
 * A wrapper around each route's one handler rather than Hono middleware: each Hono layer costs a
 * promise, a dispatch and a closure per request, and Hono calls a route that matches exactly one
 * handler directly, without composing. Each concern still lives in its own module (model-config,
 * cors, api-key, error-handler); this only calls them in order.
 */
import { configOf } from './model-config';
import { applyCors } from './cors';
import { checkApiKey } from './api-key';
import { onError } from './error-handler';
import { applyResponseHeaders } from './response-headers';
import { randomRequestId } from './request-id';
import { logLine } from './log-line';
import { drainUnread } from './drain';
import { writeMetrics } from './metrics';
import { MODEL_CONFIG_DEFAULTS } from '../env';
import { isPlaygroundPage } from '../playground/negotiation';
import type { AppContext, Handler, LogSink, RequestState } from './types';

const INCOMING_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The liveness probe answers without the model's config (it must work even when that is broken). */
const LIVE_PATH = '/v2/health/live';

export interface RequestContextOptions {
  /** Where log lines go. @default console.log */
  readonly log?: LogSink;
}

/** Wraps a route's handler (or the not-found handler) into the Hono handler that serves it. */
export type WithRequestContext = (handler: Handler) => (c: AppContext) => Promise<Response>;

export function requestContext(options: RequestContextOptions = {}): WithRequestContext {
  const log = options.log ?? ((line: string) => console.log(line));
  return (handler) =>
    async function withRequestContext(c: AppContext): Promise<Response> {
      const state = beginRequest(c);
      let res: Response;
      try {
        const admitted = isLiveProbe(c) ? undefined : admit(c, state);
        if (admitted instanceof Response) {
          res = admitted;
        } else {
          if (admitted !== undefined) await admitted;
          const answer = handler(c, state);
          res = answer instanceof Promise ? await answer : answer;
        }
      } catch (err) {
        // Whatever was thrown (a string, a plain object) is answered and logged here.
        res = onError(err instanceof Error ? err : new Error(`a non-Error value was thrown: ${describeThrown(err)}`), c, state);
      }
      // A body the handler never read (a request refused early) is drained, so that a keep-alive
      // client's next request on the same connection is not reset. Answers below 400 read theirs.
      if (res.status >= 400) {
        const unread = drainUnread(c.req.raw, state.config?.limits.maxBodyBytes ?? MODEL_CONFIG_DEFAULTS.limits.maxBodyBytes);
        if (unread !== undefined) await unread;
      }
      applyResponseHeaders(res, state);
      log(logLine(c, res.status, state));
      const metrics = c.env?.MODEL_METRICS;
      if (metrics !== undefined) writeMetrics(metrics, c, res.status, state, log);
      return res;
    };
}

/** Text for a thrown non-Error, even one whose toString throws. */
function describeThrown(value: unknown): string {
  try {
    return String(value).slice(0, 200);
  } catch {
    return typeof value;
  }
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
    cacheStatus: undefined,
    callerKeySha256: undefined,
    fault: undefined,
    inference: undefined,
    completeResponse: undefined,
  };
  return state;
}

function isLiveProbe(c: AppContext): boolean {
  if (c.req.path !== LIVE_PATH) return false;
  const method = c.req.method;
  return method === 'GET' || method === 'HEAD';
}

/**
 * Config, then CORS (a preflight is answered here, before authentication: browsers send it
 * without credentials), then the API key (not for the playground page, which holds no model data
 * and is what a browser navigates to), then X-Model-Version (not on answers refused before).
 * A Response is an answer; a promise is the key check under way.
 */
function admit(c: AppContext, state: RequestState): Response | Promise<void> | undefined {
  const config = configOf(c.env?.MODEL_CONFIG);
  state.config = config;
  const preflight = applyCors(c, state, config);
  if (preflight !== undefined) return preflight;
  const method = c.req.method;
  // The page is only ever a GET or HEAD: other requests skip reading Accept (each header read is a
  // call into the runtime).
  const page = (method === 'GET' || method === 'HEAD') && isPlaygroundPage(method, c.req.path, c.req.header('accept'), config);
  const keyCheck = page ? undefined : checkApiKey(c, state, config);
  if (keyCheck !== undefined) {
    return keyCheck.then(() => {
      state.headers['X-Model-Version'] = config.version;
    });
  }
  state.headers['X-Model-Version'] = config.version;
  return undefined;
}
