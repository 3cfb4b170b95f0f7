/**
 * The one error handler: every failure becomes `{"error": "<message>"}`. A RequestError and the
 * runtime's InferenceInputError (the caller's tensors do not fit the model) are the caller's to
 * fix; anything else is a genuine fault, answered 500 without details and logged with its stack by
 * requestContext (pass the request state, where the fault is recorded for the log line).
 */
import type { Context } from 'hono';
import { InferenceInputError } from '../runtime/errors';
import { RequestError, printable } from '../protocol/request-error';
import { ModelConfigError } from '../env';
import type { AppEnv, RequestState } from './types';

export function onError(err: Error, c: Context<AppEnv>, state?: RequestState): Response {
  // An inference that fails was neither answered from nor stored in the cache.
  if (state?.cacheStatus !== undefined) state.cacheStatus = 'bypass';
  if (err instanceof RequestError) {
    return c.json({ error: err.message }, err.status, err.headers as Record<string, string>);
  }
  if (err instanceof InferenceInputError) {
    return c.json({ error: err.message }, 400);
  }
  if (state) state.fault = err;
  const requestId = state?.requestId ?? 'unknown';
  if (err instanceof ModelConfigError) {
    return c.json({ error: `deployment misconfigured: the MODEL_CONFIG binding is invalid (details in the Worker's logs, request id ${requestId})` }, 500);
  }
  return c.json({ error: `internal error while serving the request; quote request id ${requestId} when reporting it` }, 500);
}

export function notFound(c: Context<AppEnv>): Response {
  return c.json(
    { error: `no endpoint at ${printable(c.req.method, 16)} "${printable(c.req.path, 128)}"; see GET /v2/models/{name} for this model's endpoints` },
    404,
  );
}
