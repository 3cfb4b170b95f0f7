/**
 * The one declaration of the deployment settings. From it come the deployment.json schema
 * (model-settings.ts), the check that JavaScript callers of the construct pass no unknown property,
 * and the table in docs/deployment-settings.md (a test renders the table and compares). The value
 * rules themselves are shared with the Worker through worker/env.ts, and a test checks that every
 * setting the Worker reads round-trips through MODEL_CONFIG.
 */
import type { ModelEdgeDeploymentConfig } from './config/types';

export type SettingType = 'string' | 'number' | 'boolean' | 'string[]' | 'versions' | 'environments' | 'bindings' | 'object';

export interface SettingDeclaration {
  /** Dotted name, e.g. `limits.maxBodyBytes`; `versions[].label` for the fields of each version. */
  readonly key: string;
  readonly type: SettingType;
  /** The default, as the docs show it. */
  readonly default: string;
  /** What it does, as the docs show it. */
  readonly effect: string;
  /** Where it can be written: construct props, deployment.json, or both. */
  readonly in: 'both' | 'construct' | 'json';
  /** Whether the construct accepts a Terraform expression for it. */
  readonly expression?: boolean;
  /** The MODEL_CONFIG field (worker/env.ts) the Worker reads it from. */
  readonly worker?: string;
}

export const DEPLOYMENT_SETTINGS: readonly SettingDeclaration[] = [
  { key: 'modelName', type: 'string', default: 'folder name', effect: 'name in `/v2/models/{name}`: 1-64 letters, digits, `.`, `_`, `-`', in: 'both', worker: 'name' },
  { key: 'accountId', type: 'string', default: '`CLOUDFLARE_ACCOUNT_ID` or the variable `cloudflare_account_id`', effect: 'Cloudflare account id (32 hex digits)', in: 'construct', expression: true },
  { key: 'environment', type: 'string', default: 'the stack id (`MODEL_EDGE_ENVIRONMENTS` entry in the project)', effect: 'part of the default Worker name, so environments never share a Worker', in: 'construct' },
  { key: 'workerName', type: 'string', default: '`model-edge-<name>` (+ `-<environment>`)', effect: 'Worker script name, unique in the account', in: 'both', expression: true },
  { key: 'versions', type: 'versions', default: '`[{"label": "v1", "model": "model.onnx"}]`', effect: 'one or two versions', in: 'both', worker: 'versions' },
  { key: 'versions[].label', type: 'string', default: 'required', effect: 'version label: 1-25 letters, digits, `.`, `_`, `-`', in: 'both', worker: 'version' },
  { key: 'versions[].model', type: 'string', default: '`model.onnx`', effect: 'model file, relative to the folder', in: 'json' },
  { key: 'versions[].modelPath', type: 'string', default: 'required', effect: 'model file, relative to the working directory', in: 'construct' },
  { key: 'versions[].percentage', type: 'number', default: '100, or the rest of 100', effect: 'traffic share in (0, 100]; with two versions give one share, the other gets the rest', in: 'both', expression: true },
  { key: 'zoneName', type: 'string', default: '`CLOUDFLARE_ZONE_NAME` or the variable `cloudflare_zone_name`', effect: 'zone apex that carries routes and custom domain (looked up once per stack)', in: 'construct', expression: true },
  { key: 'zoneId', type: 'string', default: '`CLOUDFLARE_ZONE_ID`', effect: 'zone id; skips the lookup', in: 'construct', expression: true },
  { key: 'zoneLookupByAccount', type: 'boolean', default: '`true`', effect: 'narrow the zone lookup to the account', in: 'construct' },
  { key: 'routes', type: 'string[]', default: '`[]`', effect: 'Workers route patterns; `{zone}` is replaced by the zone name in deployment.json, e.g. `"api.{zone}/models/iris/*"`', in: 'both' },
  { key: 'customDomain', type: 'string', default: 'none', effect: 'a hostname served entirely by this Worker, e.g. `"iris.{zone}"`', in: 'both', expression: true },
  { key: 'workersDev', type: 'boolean', default: '`false`', effect: 'also serve on `<worker>.<subdomain>.workers.dev`', in: 'both' },
  { key: 'workersDevSubdomain', type: 'string', default: 'none', effect: 'only used to list the workers.dev URL in the outputs', in: 'both', expression: true },
  { key: 'pathPrefix', type: 'string', default: 'the routes\' common path', effect: 'path the Worker strips before routing (`/models/iris`)', in: 'both', worker: 'pathPrefix' },
  { key: 'compatibilityDate', type: 'string', default: '`"2026-04-01"`', effect: '`YYYY-MM-DD`, not in the future', in: 'both', expression: true },
  { key: 'compatibilityFlags', type: 'string[]', default: '`[]`', effect: 'Workers compatibility flags', in: 'both', expression: true },
  { key: 'plan', type: 'string', default: '`"free"`', effect: '`free` (3 MiB gzip) or `paid` (10 MiB); checked against bundle + model + kernels', in: 'both' },
  { key: 'cpuMs', type: 'number', default: 'plan default', effect: 'CPU limit per request, 10-300000 ms, Paid plan only', in: 'both', expression: true },
  { key: 'limits.maxBodyBytes', type: 'number', default: '4194304', effect: 'larger request bodies get 413', in: 'both', expression: true, worker: 'limits.maxBodyBytes' },
  { key: 'limits.maxTensorElements', type: 'number', default: '1000000', effect: 'larger input tensors get 400', in: 'both', expression: true, worker: 'limits.maxTensorElements' },
  { key: 'weights.storage', type: 'string', default: '`"auto"`', effect: '`script` (inside the Worker upload), `assets` (sha256-named shards of at most 25 MiB in the version\'s static assets, private: the Worker runs first and reads them through its `MODEL_WEIGHTS` binding on first use) or `auto` (assets when bundle + model would exceed the plan\'s size limit)', in: 'both' },
  { key: 'weights.precision', type: 'string', default: '`"float32"`', effect: '`int8` stores MatMul/Gemm/Conv weight matrices as int8 with one scale per output channel (about 4x smaller, dequantized when the Worker loads the model); synth prints the accuracy change', in: 'both' },
  { key: 'weights.maxAbsDiff', type: 'number', default: 'none (reported only)', effect: 'with int8: synth fails when any output differs from float32 by more than this on generated inputs', in: 'both' },
  { key: 'cache.enabled', type: 'boolean', default: '`true`', effect: 'cache identical inference answers in the data center', in: 'both', worker: 'cache.enabled' },
  { key: 'cache.ttlSeconds', type: 'number', default: '300', effect: 'how long a cached answer is used, >= 1', in: 'both', expression: true, worker: 'cache.ttlSeconds' },
  { key: 'cors.allowOrigins', type: 'string[]', default: '`[]`', effect: 'origins allowed from browsers (`"*"` for any)', in: 'both', expression: true, worker: 'cors.allowOrigins' },
  { key: 'cors.maxAgeSeconds', type: 'number', default: '600', effect: 'how long browsers keep a preflight answer', in: 'both', expression: true, worker: 'cors.maxAgeSeconds' },
  { key: 'observability.enabled', type: 'boolean', default: '`true`', effect: 'Workers Logs', in: 'both' },
  { key: 'observability.headSamplingRate', type: 'number', default: '1', effect: 'fraction of requests logged, 0-1', in: 'both', expression: true },
  { key: 'apiKeySha256', type: 'string[]', default: '`[]` (open)', effect: 'SHA-256 hex of accepted API keys, never the keys; `npx model-edge keygen` prints both', in: 'both', expression: true, worker: 'auth.keySha256' },
  { key: 'apiKeySha256Variable', type: 'string', default: 'none', effect: 'instead of `apiKeySha256`: a sensitive Terraform variable (`list(string)`, no default: the plan fails until it is set) that supplies the hashes', in: 'json' },
  { key: 'allowNoKeys', type: 'boolean', default: '`false`', effect: 'lets the key variable be empty (an open API); without it an empty list fails the plan', in: 'both' },
  { key: 'playground', type: 'boolean', default: '`true`', effect: 'serve the playground page: `GET /` in a browser and `/v2/models/{name}/playground` (a form built from the signature, no key needed to load the page itself)', in: 'both', worker: 'playground' },
  { key: 'rateLimit.requestsPerPeriod', type: 'number', default: 'required with `rateLimit`', effect: 'requests one client may send per period; more are answered by the action (a rule in the zone\'s `http_ratelimit` ruleset, see [operations.md](operations.md#rate-limits))', in: 'both', expression: true },
  { key: 'rateLimit.period', type: 'number', default: '10', effect: 'counting period in seconds; what the zone plan allows: Free 10, Pro up to 60, Business up to 600', in: 'both' },
  { key: 'rateLimit.per', type: 'string', default: '`"ip"`', effect: '`ip` (client IP) or `apiKey` (the `Authorization`/`X-API-Key` value; Enterprise with Advanced Rate Limiting)', in: 'both' },
  { key: 'rateLimit.action', type: 'string', default: '`"block"`', effect: '`block` (HTTP 429), `managed_challenge` or `log` (Enterprise)', in: 'both' },
  { key: 'rateLimit.mitigationTimeout', type: 'number', default: 'the period (0 for `managed_challenge`)', effect: 'seconds the action lasts once a client passed the rate; Free allows 10', in: 'both' },
  { key: 'rateLimit.zonePlan', type: 'string', default: '`"free"`', effect: 'the zone\'s plan (`free`, `pro`, `business`, `enterprise`, `enterprise-advanced`); the rule is checked against it', in: 'both' },
  { key: 'metrics.dataset', type: 'string', default: 'none', effect: 'Workers Analytics Engine dataset that gets one data point per request (binding `MODEL_METRICS`, see [operations.md](operations.md#metrics))', in: 'both', expression: true },
  { key: 'hooks.entry', type: 'string', default: 'none', effect: 'your module of pre/post-processing around inference, bundled into the Worker (relative to the folder in deployment.json)', in: 'both' },
  { key: 'bindings', type: 'bindings', default: '`[]`', effect: 'extra Worker bindings (KV, services, secrets...) the hooks see in `env`', in: 'construct' },
  { key: 'outputs', type: 'boolean', default: '`true`', effect: 'Terraform outputs named from the construct path (endpoint URLs, Worker name, model hashes)', in: 'construct' },
  { key: 'buildDir', type: 'string', default: '`.model-edge/cache`', effect: 'where bundles and compiled artifacts are cached', in: 'construct' },
  { key: 'environments', type: 'environments', default: 'none', effect: '`{"<env>": {...}}`: overrides merged over the top level for one environment (nested objects one level deep)', in: 'json' },
];

/** Every top-level construct prop is declared (the compiler checks this list against the interface). */
const CONSTRUCT_PROPS: Record<keyof ModelEdgeDeploymentConfig, true> = {
  modelName: true, accountId: true, environment: true, workerName: true, versions: true, zoneName: true, zoneId: true,
  zoneLookupByAccount: true, routes: true, customDomain: true, workersDev: true, workersDevSubdomain: true, pathPrefix: true,
  compatibilityDate: true, compatibilityFlags: true, cpuMs: true, plan: true, limits: true, weights: true, cache: true, cors: true,
  apiKeySha256: true, allowNoKeys: true, playground: true, observability: true, hooks: true, rateLimit: true, metrics: true, bindings: true, outputs: true, buildDir: true,
};

/** A nested schema: field name to type, or to the schema of a nested object. */
export interface Schema {
  readonly [key: string]: SettingType | Schema;
}

/** The schema of the settings written in one place ('construct' or 'json'), derived from the declaration. */
export function schemaFor(where: 'construct' | 'json'): { top: Schema; version: Schema } {
  const top: Record<string, SettingType | Record<string, SettingType>> = {};
  const version: Record<string, SettingType> = {};
  for (const s of DEPLOYMENT_SETTINGS) {
    if (s.in !== 'both' && s.in !== where) continue;
    if (s.key.startsWith('versions[].')) {
      version[s.key.slice('versions[].'.length)] = s.type;
      continue;
    }
    const [head, sub] = s.key.split('.');
    if (sub === undefined) top[head] = s.type;
    else top[head] = { ...((top[head] as Record<string, SettingType>) ?? {}), [sub]: s.type };
  }
  return { top, version };
}

/** The docs table: one row per setting written in deployment.json. */
export function settingsTable(): string {
  const rows = DEPLOYMENT_SETTINGS.filter((s) => s.in !== 'construct').map(
    (s) => `| \`${s.key}\` | ${s.default} | ${s.expression ? 'yes' : 'no'} | ${s.effect} |`,
  );
  return ['| field | default | Terraform expression in the construct | effect |', '|---|---|---|---|', ...rows].join('\n');
}

/** Unknown properties passed by JavaScript callers (TypeScript would reject them), as dotted names. */
export function unknownConstructProps(config: object): string[] {
  const { top, version } = schemaFor('construct');
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (!(key in CONSTRUCT_PROPS)) {
      unknown.push(key);
      continue;
    }
    const nested = top[key];
    if (typeof nested === 'object' && isPlainObject(value)) {
      for (const sub of Object.keys(value)) if (!(sub in nested)) unknown.push(`${key}.${sub}`);
    }
    if (key === 'versions' && Array.isArray(value)) {
      value.forEach((v, i) => {
        if (isPlainObject(v)) for (const sub of Object.keys(v)) if (!(sub in version)) unknown.push(`versions[${i}].${sub}`);
      });
    }
  }
  return unknown;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}
