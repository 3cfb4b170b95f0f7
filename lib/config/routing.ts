/**
 * How requests reach the Worker: the zone, route patterns, a custom domain, workers.dev, and the
 * path prefix the Worker strips. Literal hosts are checked against the zone at synth time; hosts
 * that come from Terraform expressions are passed through.
 */
import { PATH_PREFIX_PATTERN } from '../../worker/env';
import { ProblemSink, isToken, requireLiteral } from './tokens';
import type { ModelEdgeDeploymentConfig, ResolvedRouting } from './types';

const HEX32 = /^[0-9a-f]{32}$/;
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const SUBDOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** First labels that name a host, not a zone: `api.example.com` is almost always a host in the zone `example.com`. */
const HOST_LABELS = new Set(['www', 'api', 'app']);

/** The routing settings of a deployment (a subset of its config). */
export type RoutingInput = Pick<ModelEdgeDeploymentConfig, 'zoneName' | 'zoneId' | 'routes' | 'customDomain' | 'workersDev' | 'workersDevSubdomain' | 'pathPrefix'>;

export function resolveRouting(input: RoutingInput, problem: ProblemSink): ResolvedRouting {
  const routes = requireLiteral(input.routes, 'routes', 'each route is its own resource, keyed by its pattern', problem) ? input.routes ?? [] : [];
  const zoneId = input.zoneId;
  if (zoneId !== undefined && !isToken(zoneId) && !HEX32.test(zoneId)) {
    problem('zoneId', `"${zoneId}" is not a Cloudflare zone id`, 'pass the 32-hex-digit zone id, or omit it and set zoneName');
  }
  const { zoneName, literalZone } = resolveZoneName(input.zoneName, problem);
  const needsZone = routes.length > 0 || input.customDomain !== undefined;
  if (needsZone && input.zoneName === undefined && zoneId === undefined) {
    problem('zoneName', 'routes and customDomain need a zone, but neither zoneName nor zoneId is set', 'set zoneName (looked up) or zoneId');
  }
  routes.forEach((pattern, i) => checkRoute(pattern, `routes[${i}]`, literalZone, problem));
  if (new Set(routes).size !== routes.length) problem('routes', 'the same pattern is listed twice', 'list each route pattern once');

  const customDomain = input.customDomain === undefined || isToken(input.customDomain) ? input.customDomain : input.customDomain.toLowerCase();
  if (customDomain !== undefined && !isToken(customDomain)) {
    if (!HOSTNAME.test(customDomain)) {
      problem('customDomain', `"${input.customDomain}" is not a hostname`, 'use a plain hostname without scheme, path or wildcard, e.g. "iris.example.com"');
    } else if (literalZone !== undefined && !hostInZone(customDomain, literalZone)) {
      problem('customDomain', `"${input.customDomain}" is outside the zone "${literalZone}"`, `use a hostname under "${literalZone}"`);
    }
  }
  const workersDev = input.workersDev ?? false;
  requireLiteral(workersDev, 'workersDev', 'it decides whether the model is reachable at all', problem);
  if (routes.length === 0 && customDomain === undefined && !workersDev) {
    problem('routes', 'the model would not be reachable: no routes, no customDomain and workersDev is off', 'add a route pattern, a customDomain, or set workersDev to true');
  }
  const sub = input.workersDevSubdomain;
  if (sub !== undefined && !isToken(sub) && !SUBDOMAIN_LABEL.test(sub)) {
    problem('workersDevSubdomain', `"${sub}" is not a workers.dev subdomain`, 'use the single label shown in the dashboard under Workers > Subdomain');
  }
  const pathPrefix = resolvePathPrefix(input.pathPrefix, routes, problem);
  return { zoneName, zoneId, routes, customDomain, workersDev, workersDevSubdomain: sub, pathPrefix };
}

/** The zone name lower-cased; `literalZone` only when it is a literal apex name that later checks can rely on. */
function resolveZoneName(zoneName: string | undefined, problem: ProblemSink): { zoneName?: string; literalZone?: string } {
  if (zoneName === undefined || isToken(zoneName)) return { zoneName };
  const lower = String(zoneName).trim().toLowerCase();
  if (!HOSTNAME.test(lower)) {
    problem('zoneName', `"${zoneName}" is not a domain name`, 'use the zone\'s apex domain without scheme or path, e.g. "example.com"');
    return { zoneName: lower };
  }
  const labels = lower.split('.');
  if (labels.length > 2 && HOST_LABELS.has(labels[0])) {
    problem('zoneName', `"${zoneName}" names a host, not a zone`, `use the zone's apex domain, e.g. "${labels.slice(1).join('.')}", and put the host in routes or customDomain`);
    return { zoneName: lower };
  }
  return { zoneName: lower, literalZone: lower };
}

function checkRoute(pattern: string, field: string, literalZone: string | undefined, problem: ProblemSink): void {
  const parsed = parseRoutePattern(pattern);
  if (typeof parsed === 'string') {
    problem(field, `${isToken(pattern) ? 'the pattern' : `"${pattern}"`} is not a route pattern: ${parsed}`, 'write it as host/path without a scheme, e.g. "api.example.com/models/iris*"');
    return;
  }
  if (literalZone !== undefined && !isToken(parsed.host) && !hostInZone(parsed.host, literalZone)) {
    problem(field, `"${pattern}" is outside the zone "${literalZone}"`, `use a host that is "${literalZone}" or ends in ".${literalZone}", or deploy to the zone that owns it`);
  }
}

function resolvePathPrefix(explicit: string | undefined, routes: readonly string[], problem: ProblemSink): string {
  if (explicit !== undefined) {
    if (!requireLiteral(explicit, 'pathPrefix', 'the Worker\'s routing is checked against it at synth time', problem)) return '';
    if (explicit !== '' && !PATH_PREFIX_PATTERN.test(explicit)) {
      problem('pathPrefix', `"${explicit}" is not a path prefix`, 'use "" or a path like "/models/iris" without a trailing slash');
    }
    return explicit;
  }
  const prefixes = new Set<string>();
  for (const pattern of routes) {
    const parsed = parseRoutePattern(pattern);
    if (typeof parsed !== 'string') prefixes.add(parsed.pathPrefix);
  }
  if (prefixes.size > 1) {
    problem('routes', `the routes put the API under different paths (${[...prefixes].map((p) => `"${p || '/'}"`).join(', ')})`, 'use one path for every route, or set pathPrefix explicitly');
  }
  return [...prefixes][0] ?? '';
}

/** A parsed route pattern, or a string saying why it is not one. */
export function parseRoutePattern(pattern: string): { host: string; path: string; pathPrefix: string } | string {
  if (typeof pattern !== 'string' || pattern === '') return 'it is empty';
  if (/^[a-z]+:\/\//i.test(pattern)) return 'it starts with a scheme';
  const slash = pattern.indexOf('/');
  if (slash < 0) return 'it has no path (add "/*" to match every path)';
  const rawHost = pattern.slice(0, slash);
  // Token markers are case-sensitive; only literal hosts are normalized.
  const host = isToken(rawHost) ? rawHost : rawHost.toLowerCase();
  const path = pattern.slice(slash);
  if (isToken(path)) return 'its path cannot be a Terraform expression (the Worker strips the path prefix it sees at synth time)';
  const bareHost = host.startsWith('*.') ? host.slice(2) : host.startsWith('*') ? host.slice(1) : host;
  if (!isToken(host) && !HOSTNAME.test(bareHost)) return `"${host}" is not a hostname`;
  if (/\s/.test(path) || path.slice(0, -1).includes('*')) return 'the path may only end in "*"';
  const pathPrefix = path.replace(/\*$/, '').replace(/\/+$/, '');
  return { host, path, pathPrefix };
}

/** True when `host` (possibly `*.`-wildcarded) is the zone apex or one of its subdomains. */
export function hostInZone(host: string, zone: string): boolean {
  const bare = host.replace(/^\*\.?/, '');
  return bare === zone || bare.endsWith(`.${zone}`);
}
