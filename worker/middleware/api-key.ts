/**
 * API keys: when MODEL_CONFIG.auth.keySha256 is non-empty every route but health needs a key, sent
 * as `Authorization: Bearer <key>` or `X-API-Key: <key>`. The Worker only ever holds SHA-256
 * digests; the presented key is hashed and compared with every digest in constant time.
 */
import type { Context, Next } from 'hono';
import { createMiddleware } from 'hono/factory';
import { httpError } from './http-error';
import { constantTimeEqual, sha256Hex } from './hash';
import type { AppEnv } from './types';

const MAX_KEY_LENGTH = 512;
const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="model-edge"' };

export interface ApiKeyOptions {
  /** Paths (after any prefix) that stay open. @default health endpoints */
  readonly isOpen?: (path: string) => boolean;
}

export function apiKeyAuth(options: ApiKeyOptions = {}) {
  const isOpen = options.isOpen ?? ((path: string) => path.startsWith('/v2/health/'));
  return createMiddleware<AppEnv>(function apiKeyMiddleware(c, next) {
    const digests = c.get('config').auth.keySha256;
    if (digests.length === 0 || isOpen(c.req.path)) return next();
    return checkKey(c, next, digests);
  });
}

async function checkKey(c: Context<AppEnv>, next: Next, digests: readonly string[]): Promise<void> {
  const key = presentedKey(c.req.header('authorization'), c.req.header('x-api-key'));
  if (key === undefined) {
    throw httpError(401, 'an API key is required: send "Authorization: Bearer <key>" or "X-API-Key: <key>"', CHALLENGE);
  }
  const presented = await sha256Hex(key);
  let match = false;
  // No early exit: every digest is compared whatever the outcome.
  for (const digest of digests) match = constantTimeEqual(presented, digest) || match;
  if (!match) throw httpError(401, 'the API key is not valid for this model', CHALLENGE);
  c.set('callerKeySha256', presented);
  await next();
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
