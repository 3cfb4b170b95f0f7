/**
 * Registers a path as one Hono handler: the request context around a switch on the method, with a
 * 405 and `Allow` for every method the path does not serve. One handler per path lets Hono call it
 * directly, without composing a middleware chain per request.
 */
import type { Hono } from 'hono';
import { RequestError } from '../protocol/request-error';
import type { WithRequestContext } from '../http/request-context';
import type { AppContext, AppEnv, Handler, RequestState } from '../http/types';

type Method = 'GET' | 'POST';

export type Register = (path: string, handlers: Partial<Record<Method, Handler>>) => void;

export function endpoints(app: Hono<AppEnv>, withContext: WithRequestContext): Register {
  return (path, handlers) => {
    const methods = Object.keys(handlers) as Method[];
    const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
    const get = handlers.GET;
    const post = handlers.POST;
    app.all(
      path,
      withContext(function byMethod(c: AppContext, state: RequestState) {
        const method = c.req.method;
        // Hono routes HEAD as GET and drops the body.
        const handler = method === 'POST' ? post : method === 'GET' || method === 'HEAD' ? get : undefined;
        if (handler !== undefined) return handler(c, state);
        throw new RequestError(405, `${method} is not allowed here; use ${methods.join(' or ')}`, { Allow: allow });
      }),
    );
  };
}
