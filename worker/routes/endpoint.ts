/**
 * Registers a path with its handlers per method, and a 405 with `Allow` for every other method.
 */
import type { Hono, MiddlewareHandler } from 'hono';
import { httpError } from '../middleware/http-error';
import type { AppEnv } from '../middleware/types';

type Method = 'GET' | 'POST';

export function endpoint(app: Hono<AppEnv>, path: string, handlers: Partial<Record<Method, MiddlewareHandler<AppEnv>[]>>): void {
  const methods = Object.keys(handlers) as Method[];
  for (const method of methods) app.on(method, path, ...(handlers[method] as [MiddlewareHandler<AppEnv>]));
  const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  app.all(path, async function methodNotAllowed(c) {
    throw httpError(405, `${c.req.method} is not allowed here; use ${methods.join(' or ')}`, { Allow: allow });
  });
}
