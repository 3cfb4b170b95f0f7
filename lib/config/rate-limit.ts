/**
 * The `rateLimit` setting: checked against what the zone's Cloudflare plan allows, and turned into
 * the fields of one rule of the zone's `http_ratelimit` ruleset (rate-limit-ruleset.ts adds it).
 *
 * The plan table follows Cloudflare's "Rate limiting rules > Availability" (docs/operations.md cites
 * it): the period and the mitigation timeout come from one list of values, each plan allows them up
 * to a maximum, Free matches on the path only, and counting by a header needs Advanced Rate Limiting.
 * The "log" action is Enterprise only, and custom block responses need Pro or higher ("Actions
 * reference" of the Rules language).
 */
import { parseRoutePattern } from './routing';
import { ProblemSink, TerraformChecks, isToken, rangeCondition, requireLiteral, shown } from './tokens';
import type { RateLimitConfig, ResolvedRateLimit, ResolvedRouting } from './types';

/** The values Cloudflare accepts for `period` and `mitigation_timeout`, in seconds (each plan allows a prefix). */
export const RATE_LIMIT_PERIODS = [10, 15, 20, 30, 40, 45, 60, 90, 120, 180, 240, 300, 480, 600, 900, 1200, 1800, 2400, 3600, 65535, 86400] as const;

export interface ZonePlanRules {
  /** Longest counting period, in seconds. */
  readonly maxPeriod: number;
  /** Longest mitigation timeout, in seconds. */
  readonly maxTimeout: number;
  /** Whether the rule may match on the host (Free matches on the path only). */
  readonly hostField: boolean;
  /** Whether a header may be a counting characteristic. */
  readonly headerCharacteristics: boolean;
  /** Whether block may throttle (mitigation timeout 0) and challenges may last a while. */
  readonly enterprise: boolean;
  /** Rate limiting rules per zone. */
  readonly rules: number;
}

export const ZONE_PLANS: { readonly [plan: string]: ZonePlanRules } = {
  free: { maxPeriod: 10, maxTimeout: 10, hostField: false, headerCharacteristics: false, enterprise: false, rules: 1 },
  pro: { maxPeriod: 60, maxTimeout: 3600, hostField: true, headerCharacteristics: false, enterprise: false, rules: 2 },
  business: { maxPeriod: 600, maxTimeout: 86400, hostField: true, headerCharacteristics: false, enterprise: false, rules: 5 },
  enterprise: { maxPeriod: 65535, maxTimeout: 86400, hostField: true, headerCharacteristics: false, enterprise: true, rules: 100 },
  'enterprise-advanced': { maxPeriod: 65535, maxTimeout: 86400, hostField: true, headerCharacteristics: true, enterprise: true, rules: 100 },
};

export const RATE_LIMIT_ACTIONS = ['block', 'managed_challenge', 'log'] as const;
export const RATE_LIMIT_CLIENTS = ['ip', 'apiKey'] as const;

/** The counter is always per data center (`cf.colo.id` is mandatory), then per client. */
const CHARACTERISTICS: { readonly [per: string]: string[] } = {
  ip: ['cf.colo.id', 'ip.src'],
  // Both headers the Worker reads a key from (lower-case, as the API wants header names).
  apiKey: ['cf.colo.id', 'http.request.headers["authorization"]', 'http.request.headers["x-api-key"]'],
};

export function resolveRateLimit(input: RateLimitConfig | undefined, routing: ResolvedRouting, model: string, problem: ProblemSink, checks: TerraformChecks): ResolvedRateLimit | undefined {
  if (input === undefined) return undefined;
  const zonePlan = input.zonePlan ?? 'free';
  const plan = ZONE_PLANS[zonePlan];
  if (requireLiteral(zonePlan, 'rateLimit.zonePlan', 'the other rate limit settings are checked against it at synth time', problem) && plan === undefined) {
    problem('rateLimit.zonePlan', `${shown(zonePlan)} is not a Cloudflare plan`, `use one of ${Object.keys(ZONE_PLANS).map((p) => `"${p}"`).join(', ')}: the plan of the zone the routes are in`);
  }
  const rules = plan ?? ZONE_PLANS.free;
  const planName = plan ? zonePlan : 'free';

  const action = input.action ?? 'block';
  if (requireLiteral(action, 'rateLimit.action', 'it decides the rule\'s shape', problem) && !(RATE_LIMIT_ACTIONS as readonly string[]).includes(action)) {
    problem('rateLimit.action', `${shown(action)} is not a rate limit action`, `use "block" (answers 429), "managed_challenge" or "log"`);
  } else if (action === 'log' && !rules.enterprise) {
    problem('rateLimit.action', `"log" is only available on Enterprise plans, and zonePlan is "${planName}"`, 'use "block" or "managed_challenge", or set rateLimit.zonePlan to the zone\'s plan if it is Enterprise');
  }
  const per = input.per ?? 'ip';
  if (requireLiteral(per, 'rateLimit.per', 'it decides the rule\'s counting characteristics', problem)) {
    if (!(RATE_LIMIT_CLIENTS as readonly string[]).includes(per)) {
      problem('rateLimit.per', `${shown(per)} is not a kind of client`, 'use "ip" (the client\'s IP address) or "apiKey" (the key in Authorization or X-API-Key)');
    } else if (per === 'apiKey' && !rules.headerCharacteristics) {
      problem('rateLimit.per', `counting per API key (a header value) needs Enterprise with Advanced Rate Limiting, and zonePlan is "${planName}"`, 'use "ip", or set rateLimit.zonePlan to "enterprise-advanced" if the zone has it');
    }
  }

  const period = input.period ?? 10;
  if (requireLiteral(period, 'rateLimit.period', 'it is checked against the zone plan at synth time', problem)) {
    checkSeconds(period, 'rateLimit.period', rules.maxPeriod, planName, false, problem);
  }
  const challenge = action === 'managed_challenge';
  const mitigationTimeout = input.mitigationTimeout ?? (challenge ? 0 : period);
  if (requireLiteral(mitigationTimeout, 'rateLimit.mitigationTimeout', 'it is checked against the zone plan at synth time', problem)) {
    if (challenge && !rules.enterprise && mitigationTimeout !== 0) {
      problem('rateLimit.mitigationTimeout', `below Enterprise a managed_challenge rule only throttles, so its timeout must be 0, not ${mitigationTimeout}`, 'set rateLimit.mitigationTimeout to 0 or leave it out');
    } else if (mitigationTimeout === 0 && !challenge && !rules.enterprise) {
      problem('rateLimit.mitigationTimeout', `0 (throttling) with action ${action} needs Enterprise, and zonePlan is "${planName}"`, `use a duration such as ${Math.min(60, rules.maxTimeout)}, or the action "managed_challenge"`);
    } else if (mitigationTimeout !== 0) {
      checkSeconds(mitigationTimeout, 'rateLimit.mitigationTimeout', rules.maxTimeout, planName, true, problem);
    }
  }

  const requestsPerPeriod = input.requestsPerPeriod;
  if (requestsPerPeriod === undefined) {
    problem('rateLimit.requestsPerPeriod', 'is required when rateLimit is set', 'give the number of requests one client may send per period, e.g. 100');
  } else if (isToken(requestsPerPeriod)) {
    checks.version.push(rangeCondition(requestsPerPeriod, 1, undefined, true, `model "${model}": rateLimit.requestsPerPeriod must be a whole number >= 1`));
  } else if (!Number.isSafeInteger(requestsPerPeriod) || requestsPerPeriod < 1) {
    problem('rateLimit.requestsPerPeriod', `${shown(requestsPerPeriod)} is not a whole number >= 1`, 'give the number of requests one client may send per period, e.g. 100');
  }

  const expression = rateLimitExpression(routing, rules.hostField, planName, problem);
  return { zonePlan: planName, action, expression, characteristics: CHARACTERISTICS[per] ?? CHARACTERISTICS.ip, period, requestsPerPeriod, mitigationTimeout };
}

function checkSeconds(value: number, field: string, max: number, plan: string, isTimeout: boolean, problem: ProblemSink): void {
  const allowed = RATE_LIMIT_PERIODS.filter((p) => p <= max);
  if (!allowed.includes(value as (typeof RATE_LIMIT_PERIODS)[number])) {
    const what = (RATE_LIMIT_PERIODS as readonly number[]).includes(value) ? `${value} s is longer than the "${plan}" plan allows` : `${shown(value)} is not one of Cloudflare's ${isTimeout ? 'timeout' : 'period'} values`;
    problem(field, what, `use one of ${allowed.join(', ')} (seconds)${plan !== 'enterprise' && plan !== 'enterprise-advanced' ? ', or set rateLimit.zonePlan to the zone\'s real plan' : ''}`);
  }
}

/**
 * A Rules language expression matching the model's routes and custom domain. Free plans match on
 * the path only, so there every route needs a path of its own (a rule on "/*" would limit the zone).
 */
export function rateLimitExpression(routing: Pick<ResolvedRouting, 'routes' | 'customDomain'>, hostField: boolean, plan: string, problem: ProblemSink): string {
  const parts = new Set<string>();
  routing.routes.forEach((pattern, i) => {
    const parsed = parseRoutePattern(pattern);
    if (typeof parsed === 'string') return; // reported by the routing checks
    const path = pathCondition(parsed.path);
    if (!hostField) {
      if (path === undefined) {
        problem(`routes[${i}]`, `on the "${plan}" plan a rate limiting rule can only match paths, and "${pattern}" covers every path of its host, so the rule would limit the whole zone`, 'serve the model under a path (e.g. "api.example.com/models/iris/*"), or set rateLimit.zonePlan to the zone\'s plan if it is Pro or higher');
        return;
      }
      parts.add(path);
      return;
    }
    const host = hostCondition(parsed.host);
    parts.add(path === undefined ? host : `(${host} and ${path})`);
  });
  if (routing.customDomain !== undefined) {
    if (!hostField) {
      problem('customDomain', `on the "${plan}" plan a rate limiting rule cannot match a hostname, so it cannot be scoped to the custom domain`, 'serve the model on a route with a path instead, or set rateLimit.zonePlan to the zone\'s plan if it is Pro or higher');
    } else {
      parts.add(`http.host eq ${quoted(routing.customDomain)}`);
    }
  }
  if (parts.size === 0) {
    if (routing.routes.length === 0 && routing.customDomain === undefined) {
      problem('rateLimit', 'the model has no routes or custom domain in a zone, and workers.dev traffic cannot be rate limited by zone rules', 'add a route or a custom domain, or remove rateLimit');
    }
    return 'false';
  }
  return [...parts].join(' or ');
}

function hostCondition(host: string): string {
  if (host.startsWith('*.')) return `ends_with(http.host, ${quoted(host.slice(1))})`;
  if (host.startsWith('*')) return `(http.host eq ${quoted(host.slice(1))} or ends_with(http.host, ${quoted(`.${host.slice(1)}`)}))`;
  return `http.host eq ${quoted(host)}`;
}

/** The path part of a route pattern; undefined when it matches every path. */
function pathCondition(path: string): string | undefined {
  if (path === '/*') return undefined;
  if (path.endsWith('*')) return `starts_with(http.request.uri.path, ${quoted(path.slice(0, -1))})`;
  return `http.request.uri.path eq ${quoted(path)}`;
}

/** A Rules language string literal. */
function quoted(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
