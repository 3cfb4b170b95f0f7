/**
 * The Worker's bindings and the shape of its one setting, MODEL_CONFIG.
 *
 * MODEL_CONFIG is a `plain_text` binding holding JSON (the Cloudflare provider double-encodes
 * `json` bindings before 5.17, so the Worker parses text). The construct writes it from the
 * `ModelConfig` type below; the Worker validates it on first use and answers 500 "deployment
 * misconfigured" (with the details in the log) when it is broken.
 */

/** The `version_metadata` binding (absent when served locally). */
export interface VersionMetadata {
  readonly id: string;
  readonly tag?: string;
  readonly timestamp?: string;
}

/** A Workers Analytics Engine dataset binding (only the call the Worker makes). */
export interface MetricsDataset {
  writeDataPoint(point: { indexes?: string[]; blobs?: string[]; doubles?: number[] }): void;
}

export interface Env {
  /** JSON text of a `ModelConfig`. */
  readonly MODEL_CONFIG: string;
  readonly CF_VERSION_METADATA?: VersionMetadata;
  /** Per-request metrics (the `metrics.dataset` setting); see http/metrics.ts. */
  readonly MODEL_METRICS?: MetricsDataset;
}

export interface ModelConfig {
  /** The model's name in URLs: /v2/models/{name}. Letters, digits, '.', '_' and '-'. */
  readonly name: string;
  /** This Worker version's label, reported as `model_version` in every response. */
  readonly version: string;
  /**
   * Labels of every version in the deployment, reported in model metadata. Shares of traffic are
   * not here: they live on the Workers deployment alone, so changing a rollout percentage does not
   * create new Worker versions. @default [version]
   */
  readonly versions: readonly string[];
  /** Reported in model metadata (the Open Inference Protocol's name for ONNX). @default "onnx_onnxv1" */
  readonly platform: string;
  readonly limits: {
    /** Largest request body accepted, in bytes (413 beyond). @default 4 MiB */
    readonly maxBodyBytes: number;
    /** Largest element count of one input tensor (400 beyond). @default 1,000,000 */
    readonly maxTensorElements: number;
  };
  readonly cors: {
    /** Exact origins ("https://app.example.com") or "*". @default [] (no cross-origin access) */
    readonly allowOrigins: readonly string[];
    /** Access-Control-Max-Age of preflight answers. @default 600 */
    readonly maxAgeSeconds: number;
  };
  readonly cache: {
    /** Cache inference responses in the data center's Cache API. @default true */
    readonly enabled: boolean;
    /** @default 300 */
    readonly ttlSeconds: number;
  };
  readonly auth: {
    /** Lower-case hex SHA-256 of each accepted API key; empty = no keys required. @default [] */
    readonly keySha256: readonly string[];
    /**
     * The deployment requires keys: with an empty keySha256 the Worker then answers 503 (fail
     * closed) instead of serving everyone. @default false
     */
    readonly required?: boolean;
  };
  /**
   * The path the routes are mounted under, e.g. "/models" for a route `api.example.com/models/*`.
   * @default - detected per request: everything before the first "/v1/" or "/v2" segment is ignored
   */
  readonly pathPrefix?: string;
  /** Serve the playground page (GET / in a browser, /v2/models/{name}/playground). @default true */
  readonly playground?: boolean;
}

/** Everything but name and version; the construct may spread these and override. */
export const MODEL_CONFIG_DEFAULTS = {
  platform: 'onnx_onnxv1',
  limits: { maxBodyBytes: 4 * 1024 * 1024, maxTensorElements: 1_000_000 },
  cors: { allowOrigins: [] as string[], maxAgeSeconds: 600 },
  cache: { enabled: true, ttlSeconds: 300 },
  auth: { keySha256: [] as string[] },
} as const satisfies Omit<ModelConfig, 'name' | 'version' | 'versions'>;

/**
 * The value rules of the contract, shared by the construct (which checks settings at synth time)
 * and the Worker (which checks MODEL_CONFIG on first use), so both accept exactly the same values.
 */
/** Model names: 1-64 letters, digits, '.', '_', '-', starting with a letter or digit. */
export const MODEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Version labels: 1-25 characters (the Workers version tag holds at most 25). */
export const VERSION_LABEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,24}$/;
/** API key hashes: lower-case hex SHA-256. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;
/** CORS origins: scheme and host (and port), no path; or "*". */
export const ORIGIN_PATTERN = /^https?:\/\/[a-z0-9.-]+(?::\d{1,5})?$/;
/** Path prefixes: "/a/b", no trailing slash. */
export const PATH_PREFIX_PATTERN = /^(\/[A-Za-z0-9._~-]+)+$/;

export class ModelConfigError extends Error {
  override readonly name = 'ModelConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`MODEL_CONFIG is invalid: ${problems.join('; ')}`);
  }
}

/**
 * Parses and validates MODEL_CONFIG text, filling defaults. Throws ModelConfigError listing
 * every problem at once.
 */
export function parseModelConfig(text: string | undefined): ModelConfig {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ModelConfigError(['the MODEL_CONFIG binding is missing or empty; bind it as plain_text JSON']);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ModelConfigError([`MODEL_CONFIG is not JSON (${(e as Error).message})`]);
  }
  if (!isObject(raw)) throw new ModelConfigError(['MODEL_CONFIG must be a JSON object']);

  const problems: string[] = [];
  const need = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  const name = raw.name;
  need(typeof name === 'string' && MODEL_NAME_PATTERN.test(name), 'name must match ' + MODEL_NAME_PATTERN.source);
  const version = raw.version;
  need(typeof version === 'string' && VERSION_LABEL_PATTERN.test(version), 'version must match ' + VERSION_LABEL_PATTERN.source);

  let versions: string[] = [String(version)];
  if (raw.versions !== undefined) {
    if (!Array.isArray(raw.versions) || raw.versions.length === 0) {
      problems.push('versions must be a non-empty array of version labels');
    } else {
      versions = [];
      raw.versions.forEach((v, i) => {
        const ok = typeof v === 'string' && VERSION_LABEL_PATTERN.test(v);
        need(ok, `versions[${i}] must be a version label matching ${VERSION_LABEL_PATTERN.source}`);
        if (ok) versions.push(v as string);
      });
      need(versions.includes(String(version)), `versions must include this Worker's version "${String(version)}"`);
    }
  }

  const platform = raw.platform ?? MODEL_CONFIG_DEFAULTS.platform;
  need(typeof platform === 'string', 'platform must be a string');

  const limits = section(raw, 'limits', problems);
  const maxBodyBytes = limits.maxBodyBytes ?? MODEL_CONFIG_DEFAULTS.limits.maxBodyBytes;
  need(isPositiveInt(maxBodyBytes), 'limits.maxBodyBytes must be a positive integer');
  const maxTensorElements = limits.maxTensorElements ?? MODEL_CONFIG_DEFAULTS.limits.maxTensorElements;
  need(isPositiveInt(maxTensorElements), 'limits.maxTensorElements must be a positive integer');

  const cors = section(raw, 'cors', problems);
  const allowOrigins = cors.allowOrigins ?? MODEL_CONFIG_DEFAULTS.cors.allowOrigins;
  need(
    Array.isArray(allowOrigins) && allowOrigins.every((o) => typeof o === 'string' && (o === '*' || ORIGIN_PATTERN.test(o))),
    'cors.allowOrigins must be an array of origins like "https://app.example.com" (no path) or "*"',
  );
  const maxAgeSeconds = cors.maxAgeSeconds ?? MODEL_CONFIG_DEFAULTS.cors.maxAgeSeconds;
  need(isNonNegativeInt(maxAgeSeconds), 'cors.maxAgeSeconds must be a non-negative integer');

  const cache = section(raw, 'cache', problems);
  const enabled = cache.enabled ?? MODEL_CONFIG_DEFAULTS.cache.enabled;
  need(typeof enabled === 'boolean', 'cache.enabled must be a boolean');
  const ttlSeconds = cache.ttlSeconds ?? MODEL_CONFIG_DEFAULTS.cache.ttlSeconds;
  need(isPositiveInt(ttlSeconds), 'cache.ttlSeconds must be a positive integer');

  const auth = section(raw, 'auth', problems);
  const keySha256 = auth.keySha256 ?? MODEL_CONFIG_DEFAULTS.auth.keySha256;
  const required = auth.required ?? false;
  need(typeof required === 'boolean', 'auth.required must be a boolean');
  need(
    Array.isArray(keySha256) && keySha256.every((k) => typeof k === 'string' && SHA256_HEX.test(k)),
    'auth.keySha256 must be an array of lower-case hex SHA-256 digests (64 characters; run `npx model-edge keygen`), never raw keys',
  );

  const playground = raw.playground ?? true;
  need(typeof playground === 'boolean', 'playground must be a boolean');

  let pathPrefix: string | undefined;
  if (raw.pathPrefix !== undefined && raw.pathPrefix !== '' && raw.pathPrefix !== '/') {
    const p = raw.pathPrefix;
    const ok = typeof p === 'string' && PATH_PREFIX_PATTERN.test(p);
    need(ok, 'pathPrefix must look like "/models" (leading slash, no trailing slash)');
    if (ok) pathPrefix = p as string;
  }

  if (problems.length > 0) throw new ModelConfigError(problems);
  return {
    name: name as string,
    version: version as string,
    versions,
    platform: platform as string,
    limits: { maxBodyBytes: maxBodyBytes as number, maxTensorElements: maxTensorElements as number },
    cors: { allowOrigins: allowOrigins as string[], maxAgeSeconds: maxAgeSeconds as number },
    cache: { enabled: enabled as boolean, ttlSeconds: ttlSeconds as number },
    auth: { keySha256: keySha256 as string[], ...(required === true ? { required } : {}) },
    ...(pathPrefix ? { pathPrefix } : {}),
    playground: playground as boolean,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function section(raw: Record<string, unknown>, key: string, problems: string[]): Record<string, unknown> {
  const v = raw[key];
  if (v === undefined) return {};
  if (!isObject(v)) {
    problems.push(`${key} must be an object`);
    return {};
  }
  return v;
}
function isPositiveInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
}
function isNonNegativeInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
