/**
 * The path the API is mounted under for this request ('' at the root, '/models/digits' under a
 * route prefix): the request's path less the path the routes see.
 */
import type { AppContext } from '../http/types';

export function basePath(c: AppContext): string {
  const pathname = new URL(c.req.url).pathname;
  const routed = c.req.path;
  if (routed === '/') return pathname.replace(/\/$/, '');
  return pathname.endsWith(routed) ? pathname.slice(0, pathname.length - routed.length) : '';
}
