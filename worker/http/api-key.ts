/**
 * API keys: when MODEL_CONFIG.auth.keySha256 is non-empty every route but health (and the
 * playground page, which holds no model data: see request-context.ts) needs a key, sent
 * as `Authorization: Bearer <key>` or `X-API-Key: <key>`. The Worker only ever holds SHA-256
 * digests; the presented key is hashed and compared with every digest in constant time.
 *
 * Fail closed: a deployment that requires keys (auth.required) but was given none (an unset or
 * empty key variable) answers 503 on every route but liveness, never the model without a key.
 */
import type { ModelConfig } from '../env';
import { RequestError } from '../protocol/request-error';
import { constantTimeEqual, sha256Hex } from './hash';
import type { AppContext, RequestState } from './types';

const MAX_KEY_LENGTH = 512;
const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="model-edge"' };

/** Paths (after any prefix) that stay open whatever the keys: the health endpoints. */
export function isOpenPath(path: string): boolean {
  return path.startsWith('/v2/health/');
}

/** Keys are configured (even an empty list that is required, which refuses everyone). */
export function keysConfigured(config: ModelConfig): boolean {
  return config.auth.keySha256.length > 0 || config.auth.required === true;
}

/**
 * Undefined when no key is needed; otherwise a promise that rejects with 401 unless the presented
 * key matches, and records the key's digest in the request state (it is part of cache keys).
 */
export function checkApiKey(c: AppContext, state: RequestState, config: ModelConfig): Promise<void> | undefined {
  const digests = config.auth.keySha256;
  if (digests.length === 0) {
    if (config.auth.required) refuseWithoutKeys(state);
    return undefined;
  }
  if (isOpenPath(c.req.path)) return undefined;
  return checkKey(c, state, digests);
}

async function checkKey(c: AppContext, state: RequestState, digests: readonly string[]): Promise<void> {
  const key = presentedKey(c.req.header('authorization'), c.req.header('x-api-key'));
  if (key === undefined) {
    throw new RequestError(401, 'an API key is required: send "Authorization: Bearer <key>" or "X-API-Key: <key>"', CHALLENGE);
  }
  const presented = await sha256Hex(key);
  let match = false;
  // No early exit: every digest is compared whatever the outcome.
  for (const digest of digests) match = constantTimeEqual(presented, digest) || match;
  if (!match) throw new RequestError(401, 'the API key is not valid for this model', CHALLENGE);
  state.callerKeySha256 = presented;
}

function presentedKey(authorization: string | undefined, xApiKey: string | undefined): string | undefined {
  let key: string | undefined;
  if (authorization !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    key = m?.[1];
  } else if (xApiKey !== undefined) {
    key = xApiKey.trim();
  }
  if (!key || key.length > MAX_KEY_LENGTH) return undefined;
  return key;
}

function refuseWithoutKeys(state: RequestState): never {
  state.fault = new Error('MODEL_CONFIG.auth.required is true but auth.keySha256 is empty: set the API key hashes (the key variable) and redeploy');
  throw new RequestError(
    503,
    'this model requires API keys but its deployment has none configured, so it answers no one; the operator must set the API key hashes and redeploy',
  );
}
