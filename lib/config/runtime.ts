/**
 * How the Worker runs: compatibility date and flags, plan and CPU limit, and the request limits,
 * cache, CORS and observability settings. Numbers may be Terraform expressions; their rules then
 * become preconditions on every Worker version, so a bad variable value fails the plan.
 */
import { Fn } from 'cdktf';
import { MODEL_CONFIG_DEFAULTS, ORIGIN_PATTERN } from '../../worker/env';
import {
  CacheConfig,
  CorsConfig,
  ModelEdgeDeploymentConfig,
  ModelLimitsConfig,
  ObservabilityConfig,
  ResolvedCache,
  ResolvedCors,
  ResolvedLimits,
  ResolvedObservability,
  ResolvedRuntime,
  ResolvedWeights,
  WeightsConfig,
} from './types';
import { ProblemSink, TerraformChecks, isToken, everyEntry, rangeCondition, requireLiteral, shown, terraformRegex } from './tokens';

export const DEFAULT_COMPATIBILITY_DATE = '2026-04-01';
export const DEFAULT_LIMITS: ResolvedLimits = { ...MODEL_CONFIG_DEFAULTS.limits };
export const DEFAULT_CACHE: ResolvedCache = { ...MODEL_CONFIG_DEFAULTS.cache };
export const DEFAULT_CORS: ResolvedCors = { allowOrigins: [], maxAgeSeconds: MODEL_CONFIG_DEFAULTS.cors.maxAgeSeconds };
export const DEFAULT_OBSERVABILITY: ResolvedObservability = { enabled: true, headSamplingRate: 1 };
/** Script size limits after gzip, all modules of one version together. */
export const PLAN_SIZE_LIMIT_BYTES: { [plan: string]: number } = { free: 3 * 1024 * 1024, paid: 10 * 1024 * 1024 };
const COMPAT_FLAG = /^[a-z0-9_]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;


export function resolveRuntime(config: ModelEdgeDeploymentConfig, model: string, today: Date, problem: ProblemSink, checks: TerraformChecks): ResolvedRuntime {
  const plan = config.plan ?? 'free';
  if (requireLiteral(plan, 'plan', 'the size limit is checked at synth time', problem) && plan !== 'free' && plan !== 'paid') {
    problem('plan', `"${String(plan)}" is not a Workers plan`, 'use "free" or "paid"');
  }
  const compatibilityDate = config.compatibilityDate ?? DEFAULT_COMPATIBILITY_DATE;
  if (isToken(compatibilityDate)) {
    checks.version.push({ condition: Fn.can(Fn.regex(terraformRegex(DATE.source), compatibilityDate)), errorMessage: `model "${model}": compatibilityDate must be written YYYY-MM-DD` });
  } else {
    const dateProblem = checkCompatibilityDate(compatibilityDate, today);
    if (dateProblem) problem('compatibilityDate', dateProblem, 'use a past or current date written YYYY-MM-DD, e.g. "2026-04-01"');
  }
  const compatibilityFlags = config.compatibilityFlags ?? [];
  if (!isToken(compatibilityFlags)) {
    compatibilityFlags.forEach((flag, i) => {
      if (!isToken(flag) && !COMPAT_FLAG.test(flag)) problem(`compatibilityFlags[${i}]`, `"${flag}" is not a compatibility flag`, 'use a flag name from the Workers compatibility flags list, e.g. "nodejs_compat"');
    });
  }
  const cpuMs = config.cpuMs;
  if (cpuMs !== undefined) {
    if (plan !== 'paid') {
      problem('cpuMs', 'a CPU limit can only be set on the Paid plan', 'set plan to "paid", or remove cpuMs (Free allows 10 ms)');
    } else if (isToken(cpuMs)) {
      checks.version.push(rangeCondition(cpuMs, 10, 300_000, true, `model "${model}": cpuMs must be a whole number of milliseconds between 10 and 300000`));
    } else if (!Number.isInteger(cpuMs) || cpuMs < 10 || cpuMs > 300_000) {
      problem('cpuMs', `${cpuMs} is outside 10..300000 ms`, 'use a whole number of milliseconds between 10 and 300000');
    }
  }
  return {
    compatibilityDate,
    compatibilityFlags,
    cpuMs,
    plan,
    limits: resolveLimits(config.limits, model, problem, checks),
    weights: resolveWeights(config.weights, problem),
    cache: resolveCache(config.cache, model, problem, checks),
    cors: resolveCors(config.cors, model, problem, checks),
    observability: resolveObservability(config.observability, model, problem, checks),
  };
}

/** A whole-number setting: checked now when literal, by a precondition when an expression. */
function wholeNumber(value: number, field: string, min: number, model: string, problem: ProblemSink, checks: TerraformChecks, fix: string): void {
  if (isToken(value)) {
    checks.version.push(rangeCondition(value, min, undefined, true, `model "${model}": ${field} must be a whole number >= ${min}`));
  } else if (!Number.isSafeInteger(value) || value < min) {
    problem(field, `${shown(value)} is not a whole number >= ${min}`, fix);
  }
}

function resolveLimits(limits: ModelLimitsConfig | undefined, model: string, problem: ProblemSink, checks: TerraformChecks): ResolvedLimits {
  const out = { ...DEFAULT_LIMITS, ...definedOnly(limits) };
  wholeNumber(out.maxBodyBytes, 'limits.maxBodyBytes', 1, model, problem, checks, `use a positive integer (default ${DEFAULT_LIMITS.maxBodyBytes})`);
  wholeNumber(out.maxTensorElements, 'limits.maxTensorElements', 1, model, problem, checks, `use a positive integer (default ${DEFAULT_LIMITS.maxTensorElements})`);
  return out;
}

export const WEIGHT_STORAGES = ['auto', 'script', 'assets'];
export const WEIGHT_PRECISIONS = ['float32', 'int8'];

function resolveWeights(weights: WeightsConfig | undefined, problem: ProblemSink): ResolvedWeights {
  const out = { storage: 'auto', precision: 'float32', ...definedOnly(weights) };
  const why = 'the weights are built at synth time';
  if (requireLiteral(out.storage, 'weights.storage', why, problem) && !WEIGHT_STORAGES.includes(out.storage)) {
    problem('weights.storage', `"${String(out.storage)}" is not a weight storage`, `use one of ${WEIGHT_STORAGES.map((w) => `"${w}"`).join(', ')}`);
  }
  if (requireLiteral(out.precision, 'weights.precision', why, problem) && !WEIGHT_PRECISIONS.includes(out.precision)) {
    problem('weights.precision', `"${String(out.precision)}" is not a weight precision`, `use one of ${WEIGHT_PRECISIONS.map((w) => `"${w}"`).join(', ')}`);
  }
  if (out.maxAbsDiff !== undefined && requireLiteral(out.maxAbsDiff, 'weights.maxAbsDiff', why, problem)) {
    if (typeof out.maxAbsDiff !== 'number' || !(out.maxAbsDiff >= 0)) problem('weights.maxAbsDiff', `${shown(out.maxAbsDiff)} is not a number >= 0`, 'use the largest acceptable absolute difference, e.g. 0.01');
    else if (out.precision !== 'int8') problem('weights.maxAbsDiff', 'only applies to int8 weights', 'set weights.precision to "int8", or remove weights.maxAbsDiff');
  }
  return out;
}

function resolveCache(cache: CacheConfig | undefined, model: string, problem: ProblemSink, checks: TerraformChecks): ResolvedCache {
  const out = { ...DEFAULT_CACHE, ...definedOnly(cache) };
  requireLiteral(out.enabled, 'cache.enabled', 'booleans are written into the Worker settings at synth time', problem);
  wholeNumber(out.ttlSeconds, 'cache.ttlSeconds', 1, model, problem, checks, 'use an integer >= 1, or set cache.enabled to false');
  return out;
}

function resolveCors(cors: CorsConfig | undefined, model: string, problem: ProblemSink, checks: TerraformChecks): ResolvedCors {
  const out = { ...DEFAULT_CORS, ...definedOnly(cors) };
  wholeNumber(out.maxAgeSeconds, 'cors.maxAgeSeconds', 0, model, problem, checks, 'use an integer >= 0');
  if (isToken(out.allowOrigins)) {
    const origin = ORIGIN_PATTERN.source.slice(1, -1).replace(/\\\//g, '/');
    checks.version.push({
      condition: Fn.can(Fn.regex(terraformRegex(everyEntry(`(?:\\*|${origin})`)), Fn.join(',', out.allowOrigins))),
      errorMessage: `model "${model}": every cors.allowOrigins entry must be "*" or an origin like "https://app.example.com"`,
    });
  } else {
    out.allowOrigins.forEach((origin, i) => {
      if (!isToken(origin) && origin !== '*' && !ORIGIN_PATTERN.test(origin)) {
        problem(`cors.allowOrigins[${i}]`, `"${origin}" is not an origin`, 'write scheme and host without a path, e.g. "https://app.example.com", or "*"');
      }
    });
  }
  return out;
}

function resolveObservability(observability: ObservabilityConfig | undefined, model: string, problem: ProblemSink, checks: TerraformChecks): ResolvedObservability {
  const out = { ...DEFAULT_OBSERVABILITY, ...definedOnly(observability) };
  requireLiteral(out.enabled, 'observability.enabled', 'booleans are written into the Worker settings at synth time', problem);
  if (isToken(out.headSamplingRate)) {
    checks.version.push(rangeCondition(out.headSamplingRate, 0, 1, false, `model "${model}": observability.headSamplingRate must be between 0 and 1`));
  } else if (!(out.headSamplingRate >= 0 && out.headSamplingRate <= 1)) {
    problem('observability.headSamplingRate', `${out.headSamplingRate} is not between 0 and 1`, 'use a fraction, e.g. 0.1 for 10% of requests');
  }
  return out;
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

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
