/**
 * CORS from MODEL_CONFIG.cors: nothing is allowed unless the origin is listed (or "*" is).
 * Preflights are answered here, before authentication (browsers send them without credentials).
 */
import type { ModelConfig } from '../env';
import { RequestError, quote } from '../protocol/request-error';
import type { AppContext, RequestState } from './types';

const ALLOW_METHODS = 'GET, POST, OPTIONS';
const ALLOW_HEADERS = 'Content-Type, Authorization, X-API-Key, X-Request-Id';
const EXPOSE_HEADERS = 'Server-Timing, X-Request-Id, Cache-Status';

/**
 * The preflight answer for a CORS preflight (403 for an origin not allowed); otherwise undefined,
 * after adding the CORS headers to the request's header record when the origin is allowed.
 */
export function applyCors(c: AppContext, state: RequestState, config: ModelConfig): Response | undefined {
  const origin = c.req.header('origin');
  // Most API calls come from servers, without an Origin: nothing to add, nothing to answer.
  if (origin === undefined) return undefined;
  const { allowOrigins, maxAgeSeconds } = config.cors;
  const any = allowOrigins.includes('*');
  const allowed = any || allowOrigins.includes(origin);
  const allowValue = any ? '*' : origin;

  if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
    if (!allowed) {
      throw new RequestError(403, `origin ${quote(origin)} is not allowed to call this model; add it to the deployment's cors.allowOrigins`);
    }
    return c.body(null, 204, {
      'Access-Control-Allow-Origin': allowValue,
      'Access-Control-Allow-Methods': ALLOW_METHODS,
      'Access-Control-Allow-Headers': ALLOW_HEADERS,
      'Access-Control-Max-Age': String(maxAgeSeconds),
      Vary: 'Origin',
    });
  }
  if (allowed) {
    // Added to whatever answers, errors included (see response-headers.ts).
    const headers = state.headers;
    headers['Access-Control-Allow-Origin'] = allowValue;
    headers['Access-Control-Expose-Headers'] = EXPOSE_HEADERS;
    headers.Vary = 'Origin';
  }
  return undefined;
}
