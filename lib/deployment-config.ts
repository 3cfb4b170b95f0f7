/**
 * The typed configuration of one model deployment, its defaults, and the checks that need no
 * file system or network. Checks that need the built files (missing model file, size limit) and
 * checks that span several deployments (duplicate routes) live in the construct.
 */
import { Token } from 'cdktf';
import { MODEL_CONFIG_DEFAULTS } from '../worker/env';
import { ConfigProblem, configProblem } from './errors';

/** Cloudflare Workers plan; it decides the script size limit and whether `cpuMs` may be set. */
export type WorkersPlan = 'free' | 'paid';

/** One version of the model served by the Worker. */
export interface ModelVersionConfig {
  /**
   * Version label, reported by the API as `model_version` and used in `/versions/{label}` paths.
   * Letters, digits, `.`, `_`, `-`; at most 25 characters; unique within the deployment.
   */
  readonly label: string;
  /** Path of the model file (`.onnx`) for this version, absolute or relative to the working directory. */
  readonly modelPath: string;
  /**
   * Share of traffic this version receives, in percent, between 0.01 and 100.
   * @default 100 for a single version; with two versions, one of them may omit it and receives
   * the rest (100 minus the other's share), so moving a canary is a one-line change.
   */
  readonly percentage?: number;
}

/** Request limits enforced by the Worker. */
export interface ModelLimitsConfig {
  /** Largest accepted request body in bytes; larger bodies get HTTP 413. @default 4194304 (4 MiB) */
  readonly maxBodyBytes?: number;
  /** Largest element count of one input tensor; larger inputs get HTTP 400. @default 1000000 */
  readonly maxTensorElements?: number;
}

/** Response caching of inference results in the data center's Cache API. */
export interface CacheConfig {
  /** Whether identical inference requests are answered from the cache. @default true */
  readonly enabled?: boolean;
  /** How long a cached answer stays valid, in seconds (at least 1). @default 300 */
  readonly ttlSeconds?: number;
}

/** Cross-origin access for browser clients. */
export interface CorsConfig {
  /** Origins allowed to call the API (`https://app.example.com`), or `['*']` for any. @default [] (CORS off) */
  readonly allowOrigins?: string[];
  /** How long browsers may keep a preflight answer (Access-Control-Max-Age), in seconds. @default 600 */
  readonly maxAgeSeconds?: number;
}

/** Workers Observability (logs and traces in the Cloudflare dashboard). */
export interface ObservabilityConfig {
  /** Whether Workers Logs are collected. @default true */
  readonly enabled?: boolean;
  /** Fraction of requests logged, from 0 to 1. @default 1 */
  readonly headSamplingRate?: number;
}

/** Configuration of `new ModelEdgeDeployment(scope, id, config)`. */
export interface ModelEdgeDeploymentConfig {
  /** Name clients use in `/v2/models/{name}`. Letters, digits, `.`, `_`, `-`; at most 64 characters. */
  readonly modelName: string;
  /** Cloudflare account id (32 hex digits), or a token such as a Terraform variable's value. */
  readonly accountId: string;
  /** One or two model versions; their percentages must sum to 100. */
  readonly versions: ModelVersionConfig[];
  /**
   * Name of the Worker script: lowercase letters, digits and `-`, at most 63 characters, starting
   * and ending with a letter or digit; unique in the account.
   * @default `model-edge-<modelName>` (lowercased, other characters replaced by `-`)
   */
  readonly workerName?: string;
  /**
   * Zone (domain) that carries the routes and the custom domain, looked up by name with a
   * `cloudflare_zone` data source. May be a token. Not needed when `zoneId` is given or when
   * the model is only served on workers.dev.
   */
  readonly zoneName?: string;
  /** Zone id; skips the zone lookup. @default - looked up from `zoneName` */
  readonly zoneId?: string;
  /**
   * Whether the zone lookup is narrowed to `accountId` (needed where zone names repeat across accounts).
   * @default true
   */
  readonly zoneLookupByAccount?: boolean;
  /**
   * Workers route patterns on the zone, e.g. `api.example.com/models/iris*`. No scheme; the host
   * part must be the zone or one of its subdomains.
   * @default [] (no routes)
   */
  readonly routes?: string[];
  /** Hostname served entirely by this Worker (a Workers custom domain), e.g. `iris.example.com`. @default - none */
  readonly customDomain?: string;
  /** Whether the Worker is reachable on its `*.workers.dev` address. @default false */
  readonly workersDev?: boolean;
  /**
   * The account's workers.dev subdomain (the `<sub>` in `<worker>.<sub>.workers.dev`), only used to
   * print the endpoint URL when `workersDev` is on. @default - the workers.dev URL is not listed in the outputs
   */
  readonly workersDevSubdomain?: string;
  /**
   * Path prefix the routes put in front of the API (e.g. `/models/iris` for the route
   * `api.example.com/models/iris/*`); the Worker strips it before routing.
   * @default - the path shared by all routes, or '' when there are none
   */
  readonly pathPrefix?: string;
  /** Workers compatibility date, `YYYY-MM-DD`, not in the future. @default '2026-04-01' */
  readonly compatibilityDate?: string;
  /** Workers compatibility flags. @default [] */
  readonly compatibilityFlags?: string[];
  /** CPU time limit per request in milliseconds (10 to 300000); Paid plan only. @default - the plan's default */
  readonly cpuMs?: number;
  /** Workers plan; decides the size limit (3 MB Free / 10 MB Paid, gzip) and whether `cpuMs` may be set. @default 'free' */
  readonly plan?: WorkersPlan;
  /** Request limits. @default - see ModelLimitsConfig */
  readonly limits?: ModelLimitsConfig;
  /** Response caching. @default - on, 300 s */
  readonly cache?: CacheConfig;
  /** CORS. @default - off */
  readonly cors?: CorsConfig;
  /**
   * SHA-256 hashes (64 lowercase hex digits) of the API keys that may call the model, or a token
   * (e.g. a sensitive Terraform variable of type list(string)). Never raw keys: create a key and its
   * hash with `npx model-edge keygen`. An empty list leaves the API open.
   * @default [] (no key required)
   */
  readonly apiKeySha256?: string[];
  /** Workers Observability settings. @default - on, every request sampled */
  readonly observability?: ObservabilityConfig;
  /**
   * Directory for the built Worker bundle and compiled model artifacts (content-addressed names).
   * @default `<os tmpdir>/model-edge-build`
   */
  readonly buildDir?: string;
}

/** The configuration with every default filled in. */
export interface ResolvedDeploymentConfig {
  readonly modelName: string;
  readonly accountId: string;
  readonly versions: ReadonlyArray<{ readonly label: string; readonly modelPath: string; readonly percentage: number }>;
  readonly workerName: string;
  readonly zoneName?: string;
  readonly zoneId?: string;
  readonly zoneLookupByAccount: boolean;
  readonly routes: readonly string[];
  readonly customDomain?: string;
  readonly workersDev: boolean;
  readonly workersDevSubdomain?: string;
  readonly pathPrefix: string;
  readonly compatibilityDate: string;
  readonly compatibilityFlags: readonly string[];
  readonly cpuMs?: number;
  readonly plan: WorkersPlan;
  readonly limits: Required<ModelLimitsConfig>;
  readonly cache: Required<CacheConfig>;
  readonly cors: Required<CorsConfig>;
  readonly apiKeySha256: readonly string[];
  readonly observability: Required<ObservabilityConfig>;
}

export const DEFAULT_COMPATIBILITY_DATE = '2026-04-01';
export const DEFAULT_LIMITS: Required<ModelLimitsConfig> = { ...MODEL_CONFIG_DEFAULTS.limits };
export const DEFAULT_CACHE: Required<CacheConfig> = { ...MODEL_CONFIG_DEFAULTS.cache };
export const DEFAULT_CORS: Required<CorsConfig> = { allowOrigins: [], maxAgeSeconds: MODEL_CONFIG_DEFAULTS.cors.maxAgeSeconds };
/** Script size limits after gzip, all modules of one version together. */
export const PLAN_SIZE_LIMIT_BYTES: Record<WorkersPlan, number> = { free: 3 * 1024 * 1024, paid: 10 * 1024 * 1024 };
export const MAX_VERSIONS = 2;

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const WORKER_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const VERSION_LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,24}$/;
const HEX32 = /^[0-9a-f]{32}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(?::\d{1,5})?$/;
const COMPAT_FLAG = /^[a-z0-9_]+$/;

/** True when a value is only known when Terraform runs (a token), so synth-time checks must skip it. */
export function isToken(value: unknown): boolean {
  return value !== undefined && Token.isUnresolved(value);
}

/** The default Worker name for a model name. */
export function defaultWorkerName(modelName: string): string {
  const slug = modelName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return `model-edge-${slug}`.slice(0, 63).replace(/-+$/, '');
}

/** Fills in defaults and collects every problem found without touching the file system. */
export function resolveDeploymentConfig(config: ModelEdgeDeploymentConfig, today: Date = new Date()): {
  resolved: ResolvedDeploymentConfig;
  problems: ConfigProblem[];
} {
  const model = typeof config.modelName === 'string' && config.modelName !== '' ? config.modelName : '(unnamed)';
  const problems: ConfigProblem[] = [];
  const problem = (field: string, what: string, fix: string) => problems.push(configProblem(model, field, what, fix));

  if (typeof config.modelName !== 'string' || !MODEL_NAME.test(config.modelName)) {
    problem('modelName', `"${String(config.modelName)}" is not a valid model name`, 'use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');
  }
  if (!isToken(config.accountId) && !HEX32.test(String(config.accountId ?? ''))) {
    problem('accountId', `"${String(config.accountId ?? '')}" is not a Cloudflare account id`, 'pass the 32-hex-digit account id from the dashboard, or a Terraform variable');
  }

  const plan: WorkersPlan = config.plan ?? 'free';
  if (plan !== 'free' && plan !== 'paid') problem('plan', `"${String(plan)}" is not a Workers plan`, 'use "free" or "paid"');

  const workerName = config.workerName ?? defaultWorkerName(model);
  if (!WORKER_NAME.test(workerName)) {
    problem('workerName', `"${workerName}" is not a valid Worker name`, 'use 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit');
  }

  const versions = resolveVersions(config.versions, problem);

  // Zone and routing.
  const routes = config.routes ?? [];
  const zoneName = config.zoneName;
  const zoneId = config.zoneId;
  if (zoneId !== undefined && !isToken(zoneId) && !HEX32.test(zoneId)) {
    problem('zoneId', `"${zoneId}" is not a Cloudflare zone id`, 'pass the 32-hex-digit zone id, or omit it and set zoneName');
  }
  const literalZone = zoneName !== undefined && !isToken(zoneName) ? zoneName.toLowerCase() : undefined;
  if (literalZone !== undefined && !HOSTNAME.test(literalZone)) {
    problem('zoneName', `"${zoneName}" is not a domain name`, 'use the zone\'s apex domain, e.g. "example.com"');
  }
  const needsZone = routes.length > 0 || config.customDomain !== undefined;
  if (needsZone && zoneName === undefined && zoneId === undefined) {
    problem('zoneName', 'routes and customDomain need a zone, but neither zoneName nor zoneId is set', 'set zoneName (looked up) or zoneId');
  }
  routes.forEach((pattern, i) => {
    const field = `routes[${i}]`;
    const parsed = parseRoutePattern(pattern);
    if (typeof parsed === 'string') {
      problem(field, `"${pattern}" is not a route pattern: ${parsed}`, 'write it as host/path without a scheme, e.g. "api.example.com/models/iris*"');
      return;
    }
    if (literalZone !== undefined && !isToken(parsed.host) && !hostInZone(parsed.host, literalZone)) {
      problem(field, `"${pattern}" is outside the zone "${literalZone}"`, `use a host that is "${literalZone}" or ends in ".${literalZone}", or deploy to the zone that owns it`);
    }
  });
  if (new Set(routes).size !== routes.length) problem('routes', 'the same pattern is listed twice', 'list each route pattern once');

  const customDomain = config.customDomain;
  if (customDomain !== undefined && !isToken(customDomain)) {
    if (!HOSTNAME.test(customDomain.toLowerCase())) {
      problem('customDomain', `"${customDomain}" is not a hostname`, 'use a plain hostname without scheme, path or wildcard, e.g. "iris.example.com"');
    } else if (literalZone !== undefined && !hostInZone(customDomain.toLowerCase(), literalZone)) {
      problem('customDomain', `"${customDomain}" is outside the zone "${literalZone}"`, `use a hostname under "${literalZone}"`);
    }
  }
  const workersDev = config.workersDev ?? false;
  if (routes.length === 0 && customDomain === undefined && !workersDev) {
    problem('routes', 'the model would not be reachable: no routes, no customDomain and workersDev is off', 'add a route pattern, a customDomain, or set workersDev to true');
  }
  if (config.workersDevSubdomain !== undefined && !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(config.workersDevSubdomain)) {
    problem('workersDevSubdomain', `"${config.workersDevSubdomain}" is not a workers.dev subdomain`, 'use the single label shown in the dashboard under Workers > Subdomain');
  }

  const pathPrefix = resolvePathPrefix(config.pathPrefix, routes, problem);

  // Runtime settings.
  const compatibilityDate = config.compatibilityDate ?? DEFAULT_COMPATIBILITY_DATE;
  const dateProblem = checkCompatibilityDate(compatibilityDate, today);
  if (dateProblem) problem('compatibilityDate', dateProblem, 'use a past or current date written YYYY-MM-DD, e.g. "2026-04-01"');
  const compatibilityFlags = config.compatibilityFlags ?? [];
  compatibilityFlags.forEach((flag, i) => {
    if (!COMPAT_FLAG.test(flag)) problem(`compatibilityFlags[${i}]`, `"${flag}" is not a compatibility flag`, 'use a flag name from the Workers compatibility flags list, e.g. "nodejs_compat"');
  });
  if (config.cpuMs !== undefined) {
    if (!Number.isInteger(config.cpuMs) || config.cpuMs < 10 || config.cpuMs > 300_000) {
      problem('cpuMs', `${config.cpuMs} is outside 10..300000 ms`, 'use a whole number of milliseconds between 10 and 300000');
    } else if (plan !== 'paid') {
      problem('cpuMs', 'a CPU limit can only be set on the Paid plan', 'set plan to "paid", or remove cpuMs (Free allows 10 ms)');
    }
  }

  const limits = { ...DEFAULT_LIMITS, ...definedOnly(config.limits) };
  for (const key of ['maxBodyBytes', 'maxTensorElements'] as const) {
    if (!Number.isSafeInteger(limits[key]) || limits[key] <= 0) {
      problem(`limits.${key}`, `${limits[key]} is not a positive whole number`, `use a positive integer (default ${DEFAULT_LIMITS[key]})`);
    }
  }
  const cache = { ...DEFAULT_CACHE, ...definedOnly(config.cache) };
  if (!Number.isSafeInteger(cache.ttlSeconds) || cache.ttlSeconds < 1) {
    problem('cache.ttlSeconds', `${cache.ttlSeconds} is not a positive whole number of seconds`, 'use an integer >= 1, or set cache.enabled to false');
  }
  const cors = { ...DEFAULT_CORS, ...definedOnly(config.cors) };
  if (!Number.isSafeInteger(cors.maxAgeSeconds) || cors.maxAgeSeconds < 0) {
    problem('cors.maxAgeSeconds', `${cors.maxAgeSeconds} is not a whole number of seconds`, 'use an integer >= 0');
  }
  cors.allowOrigins.forEach((origin, i) => {
    if (origin !== '*' && !ORIGIN.test(origin)) {
      problem(`cors.allowOrigins[${i}]`, `"${origin}" is not an origin`, 'write scheme and host without a path, e.g. "https://app.example.com", or "*"');
    }
  });
  const observability = { enabled: true, headSamplingRate: 1, ...definedOnly(config.observability) };
  if (!(observability.headSamplingRate >= 0 && observability.headSamplingRate <= 1)) {
    problem('observability.headSamplingRate', `${observability.headSamplingRate} is not between 0 and 1`, 'use a fraction, e.g. 0.1 for 10% of requests');
  }

  const apiKeySha256 = resolveApiKeys(config.apiKeySha256, problem);

  return {
    resolved: {
      modelName: model,
      accountId: config.accountId,
      versions,
      workerName,
      zoneName,
      zoneId,
      zoneLookupByAccount: config.zoneLookupByAccount ?? true,
      routes,
      customDomain,
      workersDev,
      workersDevSubdomain: config.workersDevSubdomain,
      pathPrefix,
      compatibilityDate,
      compatibilityFlags,
      cpuMs: config.cpuMs,
      plan,
      limits,
      cache,
      cors,
      apiKeySha256,
      observability,
    },
    problems,
  };
}

type ProblemSink = (field: string, what: string, fix: string) => void;

function resolveVersions(versions: ModelVersionConfig[] | undefined, problem: ProblemSink): ResolvedDeploymentConfig['versions'] {
  if (!Array.isArray(versions) || versions.length === 0) {
    problem('versions', 'no model version is listed', 'list one version ({label, modelPath}) or two (a stable and a canary)');
    return [];
  }
  if (versions.length > MAX_VERSIONS) {
    problem('versions', `${versions.length} versions are listed, but a Workers deployment splits traffic between at most ${MAX_VERSIONS}`, 'keep one stable and one canary version');
  }
  const labels = new Set<string>();
  versions.forEach((v, i) => {
    if (typeof v.label !== 'string' || !VERSION_LABEL.test(v.label)) {
      problem(`versions[${i}].label`, `"${String(v.label)}" is not a valid version label`, 'use 1-25 letters, digits, ".", "_" or "-", e.g. "v1"');
    } else if (labels.has(v.label)) {
      problem(`versions[${i}].label`, `the label "${v.label}" is used twice`, 'give every version its own label');
    }
    labels.add(v.label);
    if (typeof v.modelPath !== 'string' || v.modelPath === '') {
      problem(`versions[${i}].modelPath`, 'no model file is given', 'set modelPath to the .onnx file of this version');
    }
    if (v.percentage !== undefined && !(typeof v.percentage === 'number' && v.percentage >= 0.01 && v.percentage <= 100)) {
      problem(`versions[${i}].percentage`, `${v.percentage} is outside (0, 100]`, 'use a share between 0.01 and 100 percent');
    }
  });

  const missing = versions.filter((v) => v.percentage === undefined).length;
  const given = versions.reduce((sum, v) => sum + (v.percentage ?? 0), 0);
  if (missing > 1) {
    problem('versions', 'more than one version leaves its percentage out', 'give every version but one a percentage; the one left out receives the rest');
  }
  const rest = round2(100 - given);
  const percentages = versions.map((v) => v.percentage ?? rest);
  const sum = round2(percentages.reduce((a, b) => a + b, 0));
  if (missing <= 1 && (sum !== 100 || (missing === 1 && !(rest >= 0.01)))) {
    problem('versions', `the percentages add up to ${missing === 1 ? given : sum}, not 100`, 'make the shares sum to exactly 100, e.g. 90 and 10');
  }
  return versions.map((v, i) => ({ label: v.label, modelPath: v.modelPath, percentage: percentages[i] }));
}

function resolvePathPrefix(explicit: string | undefined, routes: readonly string[], problem: ProblemSink): string {
  if (explicit !== undefined) {
    if (explicit !== '' && !/^(\/[A-Za-z0-9._~-]+)+$/.test(explicit)) {
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

function resolveApiKeys(keys: string[] | undefined, problem: ProblemSink): readonly string[] {
  if (keys === undefined) return [];
  if (isToken(keys)) return keys;
  keys.forEach((key, i) => {
    if (isToken(key)) return;
    // Never echo the value: it may be a raw key pasted by mistake.
    if (typeof key !== 'string' || !SHA256_HEX.test(key)) {
      problem(`apiKeySha256[${i}]`, 'the entry is not a SHA-256 hash (64 lowercase hex digits); raw API keys must never be put in settings', 'run `npx model-edge keygen` and put the printed SHA-256 here; hand the key itself to the client');
    }
  });
  return keys;
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

/** Returns why a compatibility date is unusable, or undefined when it is fine. */
export function checkCompatibilityDate(date: string, today: Date): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(date));
  if (!m) return `"${date}" is not written YYYY-MM-DD`;
  const parsed = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (parsed.getUTCFullYear() !== +m[1] || parsed.getUTCMonth() !== +m[2] - 1 || parsed.getUTCDate() !== +m[3]) {
    return `"${date}" is not a calendar date`;
  }
  if (parsed.getTime() > today.getTime() + 24 * 3600 * 1000) return `"${date}" is in the future, which Cloudflare rejects`;
  return undefined;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
