/**
 * The public shape of one model deployment's settings (`new ModelEdgeDeployment(scope, id, config)`)
 * and of the same settings with every default filled in. Plain interfaces of primitives, lists and
 * named interfaces, so other cdktf languages see them through jsii.
 */

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
   * Share of traffic this version receives, in percent, between 0.01 and 100. May be a Terraform
   * expression (e.g. a variable's `numberValue`), so a rollout moves with a variable change; its
   * range and the sum of 100 are then checked by Terraform preconditions at plan time.
   * @default 100 for a single version; with two versions, one of them may omit it and receives
   * the rest (100 minus the other's share), so moving a canary is a one-line change.
   */
  readonly percentage?: number;
}

/** Where a model's weights live and how they are stored. */
export interface WeightsConfig {
  /**
   * `'script'` (inside the Worker upload), `'assets'` (content-addressed shards in the version's
   * static assets, read by the Worker on first use) or `'auto'` (assets when the script would
   * exceed the plan's size limit). @default 'auto'
   */
  readonly storage?: string;
  /** `'float32'`, or `'int8'` for per-channel int8 weight matrices (about 4x smaller). @default 'float32' */
  readonly precision?: string;
  /** With int8: the largest absolute difference from the float32 answers on generated inputs that synth accepts. @default - no limit (reported only) */
  readonly maxAbsDiff?: number;
}

/** Request limits enforced by the Worker. */
export interface ModelLimitsConfig {
  /** Largest accepted request body in bytes; larger bodies get HTTP 413. May be a Terraform expression. @default 4194304 (4 MiB) */
  readonly maxBodyBytes?: number;
  /** Largest element count of one input tensor; larger inputs get HTTP 400. May be a Terraform expression. @default 1000000 */
  readonly maxTensorElements?: number;
}

/** Response caching of inference results in the data center's Cache API. */
export interface CacheConfig {
  /** Whether identical inference requests are answered from the cache. @default true */
  readonly enabled?: boolean;
  /** How long a cached answer stays valid, in seconds (at least 1). May be a Terraform expression. @default 300 */
  readonly ttlSeconds?: number;
}

/** Cross-origin access for browser clients. */
export interface CorsConfig {
  /** Origins allowed to call the API (`https://app.example.com`), or `['*']` for any. May be a Terraform list. @default [] (CORS off) */
  readonly allowOrigins?: string[];
  /** How long browsers may keep a preflight answer (Access-Control-Max-Age), in seconds. May be a Terraform expression. @default 600 */
  readonly maxAgeSeconds?: number;
}

/** Workers Observability (logs and traces in the Cloudflare dashboard). */
export interface ObservabilityConfig {
  /** Whether Workers Logs are collected. @default true */
  readonly enabled?: boolean;
  /** Fraction of requests logged, from 0 to 1. May be a Terraform expression. @default 1 */
  readonly headSamplingRate?: number;
}

/**
 * A Cloudflare rate limiting rule in front of the model's routes and custom domain (a rule in the
 * zone's `http_ratelimit` ruleset, shared by every model of the stack in that zone). What a zone may
 * use depends on its Cloudflare plan, which `zonePlan` names; docs/operations.md has the table.
 */
export interface RateLimitConfig {
  /** Requests one client may send per period before the action applies (at least 1). May be a Terraform expression. */
  readonly requestsPerPeriod: number;
  /** Counting period in seconds: 10 on Free; up to 60 on Pro, 600 on Business, 65535 on Enterprise (from Cloudflare's list of values). @default 10 */
  readonly period?: number;
  /**
   * What one client is: `'ip'` (the client's IP address, every plan) or `'apiKey'` (the API key the
   * client sends in `Authorization` or `X-API-Key`; Enterprise with Advanced Rate Limiting only).
   * @default 'ip'
   */
  readonly per?: string;
  /** `'block'` (HTTP 429), `'managed_challenge'` (for browsers) or `'log'` (count only; Enterprise). @default 'block' */
  readonly action?: string;
  /**
   * How long, in seconds, the action applies once a client passed the rate; 0 applies it only to the
   * requests above the rate (the only choice for managed_challenge below Enterprise). Free allows 10.
   * @default the period for block and log, 0 for managed_challenge
   */
  readonly mitigationTimeout?: number;
  /**
   * The zone's Cloudflare plan, `'free'`, `'pro'`, `'business'`, `'enterprise'` or
   * `'enterprise-advanced'` (Enterprise with Advanced Rate Limiting): the period, timeout, client
   * kind and the fields the rule matches on are checked against it at synth time.
   * @default 'free'
   */
  readonly zonePlan?: string;
}

/** Per-request metrics written to a Workers Analytics Engine dataset. */
export interface MetricsConfig {
  /** The Analytics Engine dataset the Worker writes one data point per request to (created on first write). May be a Terraform expression. */
  readonly dataset: string;
}

/** The team's own Worker code, bundled at synth time and run around every inference. */
export interface WorkerHooksConfig {
  /**
   * A TypeScript or JavaScript module (path relative to the working directory) whose default export
   * is an `EdgeHooks` object (`import type { EdgeHooks } from 'model-edge/hooks'`): `beforeInference`
   * and `afterInference` functions that see the request, the model's answer and the Worker's bindings.
   * In deployment.json the path is relative to the model folder.
   */
  readonly entry: string;
}

/**
 * The settings the construct props and deployment.json share, with the same meaning (deployment.json
 * writes them as JSON; docs/deployment-settings.md lists both).
 */
export interface SharedDeploymentSettings {
  /**
   * Name of the Worker script: lowercase letters, digits and `-`, at most 63 characters, starting
   * and ending with a letter or digit; unique in the account. May be a Terraform expression.
   * @default `model-edge-<modelName>-<environment>` (lowercased, other characters replaced by `-`)
   */
  readonly workerName?: string;
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
  /** Workers compatibility date, `YYYY-MM-DD`, not in the future. May be a Terraform expression. @default '2026-04-01' */
  readonly compatibilityDate?: string;
  /** Workers compatibility flags. @default [] */
  readonly compatibilityFlags?: string[];
  /** CPU time limit per request in milliseconds (10 to 300000); Paid plan only. @default - the plan's default */
  readonly cpuMs?: number;
  /** Workers plan, `'free'` or `'paid'`; decides the size limit (3 MB Free / 10 MB Paid, gzip) and whether `cpuMs` may be set. @default 'free' */
  readonly plan?: string;
  /** Request limits. @default - see ModelLimitsConfig */
  readonly limits?: ModelLimitsConfig;
  /** Weight storage and precision. @default - see WeightsConfig */
  readonly weights?: WeightsConfig;
  /** Response caching. @default - on, 300 s */
  readonly cache?: CacheConfig;
  /** CORS. @default - off */
  readonly cors?: CorsConfig;
  /**
   * SHA-256 hashes (64 lowercase hex digits) of the API keys that may call the model, or a Terraform
   * list (e.g. a sensitive variable of type list(string)). Never raw keys: create a key and its hash
   * with `npx model-edge keygen`. A Terraform list must hold at least one hash (checked at plan time)
   * unless `allowNoKeys` is set; an empty literal list, or none, leaves the API open.
   * @default [] (no key required)
   */
  readonly apiKeySha256?: string[];
  /**
   * Lets a Terraform list of key hashes be empty (an open API). Without it, a plan with an empty
   * list fails, so a workspace that forgets its keys never deploys an open model.
   * @default false
   */
  readonly allowNoKeys?: boolean;
  /** Serve the playground page (GET / in a browser, /v2/models/{name}/playground). @default true */
  readonly playground?: boolean;
  /** Workers Observability settings. @default - on, every request sampled */
  readonly observability?: ObservabilityConfig;
  /** The team's own pre- and post-processing around inference, bundled into the Worker. @default - none */
  readonly hooks?: WorkerHooksConfig;
  /** A rate limit per client in front of the model's routes (a Cloudflare rate limiting rule). @default - none */
  readonly rateLimit?: RateLimitConfig;
  /** Per-request metrics to a Workers Analytics Engine dataset. @default - none */
  readonly metrics?: MetricsConfig;
}

/** Configuration of `new ModelEdgeDeployment(scope, id, config)`. */
export interface ModelEdgeDeploymentConfig extends SharedDeploymentSettings {
  /** Name clients use in `/v2/models/{name}`. Letters, digits, `.`, `_`, `-`; at most 64 characters. */
  readonly modelName: string;
  /** Cloudflare account id (32 hex digits), or a Terraform expression such as a variable's value. */
  readonly accountId: string;
  /** One or two model versions; their percentages must sum to 100. */
  readonly versions: ModelVersionConfig[];
  /**
   * The environment this deployment belongs to (e.g. `staging`). It is part of the default Worker
   * name, so the same model deployed to two environments never shares a Worker; `''` leaves it out.
   * @default - the id of the enclosing stack
   */
  readonly environment?: string;
  /**
   * Zone (domain apex) that carries the routes and the custom domain, looked up by name with a
   * `cloudflare_zone` data source (one lookup per stack and zone). May be a Terraform expression.
   * Not needed when `zoneId` is given or when the model is only served on workers.dev.
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
   * Extra bindings of every Worker version (KV namespaces, service bindings, secrets...), as the
   * provider takes them; the hooks see them in `env`. Names must not clash with the construct's own
   * (`MODEL_CONFIG`, `CF_VERSION_METADATA`). @default []
   */
  readonly bindings?: ExtraBinding[];
  /**
   * Whether the construct adds its Terraform outputs (endpoint URLs, Worker name, model hashes),
   * named from its construct path within the stack.
   * @default true
   */
  readonly outputs?: boolean;
  /**
   * Directory for the built Worker bundle and compiled model artifacts (content-addressed names).
   * @default `.model-edge/cache` in the working directory (it ignores itself in git)
   */
  readonly buildDir?: string;
}

/** An extra Worker binding: the subset of the provider's binding fields most Workers need. */
export interface ExtraBinding {
  /** Name in the Worker's `env`. */
  readonly name: string;
  /** Binding type, as the provider spells it: `kv_namespace`, `service`, `secret_text`, `plain_text`, `r2_bucket`, `d1`, `queue`, `ai`... */
  readonly type: string;
  /** Text of a `plain_text` or `secret_text` binding. */
  readonly text?: string;
  /** KV namespace id of a `kv_namespace` binding. */
  readonly namespaceId?: string;
  /** Worker name of a `service` binding. */
  readonly service?: string;
  /** Bucket of an `r2_bucket` binding. */
  readonly bucketName?: string;
  /** Database id of a `d1` binding. */
  readonly id?: string;
  /** Queue of a `queue` binding. */
  readonly queueName?: string;
}

/** One resolved model version. */
export interface ResolvedModelVersion {
  readonly label: string;
  readonly modelPath: string;
  /** Percent of traffic; may be a Terraform expression. */
  readonly percentage: number;
}

/** Resolved request limits. */
export interface ResolvedLimits {
  readonly maxBodyBytes: number;
  readonly maxTensorElements: number;
}

/** Resolved weights settings. */
export interface ResolvedWeights {
  readonly storage: string;
  readonly precision: string;
  readonly maxAbsDiff?: number;
}

/** Resolved cache settings. */
export interface ResolvedCache {
  readonly enabled: boolean;
  readonly ttlSeconds: number;
}

/** Resolved CORS settings. */
export interface ResolvedCors {
  readonly allowOrigins: string[];
  readonly maxAgeSeconds: number;
}

/** Resolved observability settings. */
export interface ResolvedObservability {
  readonly enabled: boolean;
  readonly headSamplingRate: number;
}

/** How requests reach the Worker, resolved. */
export interface ResolvedRouting {
  readonly zoneName?: string;
  readonly zoneId?: string;
  readonly routes: string[];
  readonly customDomain?: string;
  readonly workersDev: boolean;
  readonly workersDevSubdomain?: string;
  readonly pathPrefix: string;
}

/** How the Worker runs, resolved. */
export interface ResolvedRuntime {
  readonly compatibilityDate: string;
  readonly compatibilityFlags: string[];
  readonly cpuMs?: number;
  readonly plan: string;
  readonly limits: ResolvedLimits;
  readonly weights: ResolvedWeights;
  readonly cache: ResolvedCache;
  readonly cors: ResolvedCors;
  readonly observability: ResolvedObservability;
}

/** The configuration with every default filled in. */
export interface ResolvedDeploymentConfig extends ResolvedRouting, ResolvedRuntime {
  readonly modelName: string;
  readonly accountId: string;
  readonly environment: string;
  readonly versions: ResolvedModelVersion[];
  readonly workerName: string;
  readonly zoneLookupByAccount: boolean;
  readonly apiKeySha256: string[];
  readonly allowNoKeys: boolean;
  readonly playground: boolean;
  readonly hooksEntry?: string;
  readonly bindings: ExtraBinding[];
  readonly outputs: boolean;
  readonly rateLimit?: ResolvedRateLimit;
  /** The Analytics Engine dataset, when metrics are on. */
  readonly metricsDataset?: string;
}

/** A rate limiting rule, resolved: the provider's fields, ready for the zone's ruleset. */
export interface ResolvedRateLimit {
  readonly zonePlan: string;
  readonly action: string;
  /** Rules language expression matching the model's routes and custom domain. */
  readonly expression: string;
  readonly characteristics: string[];
  readonly period: number;
  readonly requestsPerPeriod: number;
  readonly mitigationTimeout: number;
}
