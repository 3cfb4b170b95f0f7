/**
 * Per-model settings: `models/<name>/deployment.json`, read, type-checked and merged with the
 * overrides of one environment. The schema is documented in docs/deployment-settings.md.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'fs';
import * as path from 'path';
import { ConfigProblem, configProblem, throwIfProblems } from './errors';

export const SETTINGS_FILE = 'deployment.json';

/** One model version in deployment.json. */
export interface VersionSettings {
  /** Version label. */
  readonly label: string;
  /** Model file, relative to the model folder. @default "model.onnx" */
  readonly model?: string;
  /** Share of traffic in percent. @default the rest of 100 */
  readonly percentage?: number;
}

/** The contents of deployment.json (every field optional). */
export interface ModelSettings {
  readonly modelName?: string;
  readonly workerName?: string;
  readonly versions?: VersionSettings[];
  /** Route patterns; `{zone}` is replaced by the zone name. */
  readonly routes?: string[];
  /** Custom domain hostname; `{zone}` is replaced by the zone name. */
  readonly customDomain?: string;
  readonly workersDev?: boolean;
  readonly workersDevSubdomain?: string;
  readonly pathPrefix?: string;
  readonly compatibilityDate?: string;
  readonly compatibilityFlags?: string[];
  readonly cpuMs?: number;
  readonly plan?: 'free' | 'paid';
  readonly limits?: { maxBodyBytes?: number; maxTensorElements?: number };
  readonly cache?: { enabled?: boolean; ttlSeconds?: number };
  readonly cors?: { allowOrigins?: string[]; maxAgeSeconds?: number };
  readonly observability?: { enabled?: boolean; headSamplingRate?: number };
  /** SHA-256 hashes of accepted API keys (never the keys). */
  readonly apiKeySha256?: string[];
  /** Name of a sensitive Terraform variable (list(string)) that supplies the key hashes at apply time. */
  readonly apiKeySha256Variable?: string;
  /** Per-environment overrides, e.g. {"staging": {"routes": [...]}}; merged over the top-level settings. */
  readonly environments?: Record<string, Omit<ModelSettings, 'environments'>>;
}

/** A model folder's settings for one environment. */
export interface ModelFolder {
  /** The folder name, used as the construct id and the default model name. */
  readonly name: string;
  /** Absolute path of the folder. */
  readonly folder: string;
  /** Settings with the environment's overrides applied and the `environments` key removed. */
  readonly settings: Omit<ModelSettings, 'environments'>;
  /** Absolute path of each version's model file, in order. */
  readonly versions: ReadonlyArray<{ label: string; modelPath: string; percentage?: number }>;
}

type FieldType = 'string' | 'number' | 'boolean' | 'string[]' | 'versions' | 'environments' | { [key: string]: FieldType };

const SCHEMA: Record<string, FieldType> = {
  $schema: 'string',
  modelName: 'string',
  workerName: 'string',
  versions: 'versions',
  routes: 'string[]',
  customDomain: 'string',
  workersDev: 'boolean',
  workersDevSubdomain: 'string',
  pathPrefix: 'string',
  compatibilityDate: 'string',
  compatibilityFlags: 'string[]',
  cpuMs: 'number',
  plan: 'string',
  limits: { maxBodyBytes: 'number', maxTensorElements: 'number' },
  cache: { enabled: 'boolean', ttlSeconds: 'number' },
  cors: { allowOrigins: 'string[]', maxAgeSeconds: 'number' },
  observability: { enabled: 'boolean', headSamplingRate: 'number' },
  apiKeySha256: 'string[]',
  apiKeySha256Variable: 'string',
  environments: 'environments',
};
const VERSION_SCHEMA: Record<string, FieldType> = { label: 'string', model: 'string', percentage: 'number' };
const TF_VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Folders under `modelsDir` that hold a deployment.json, sorted by name. */
export function listModelFolders(modelsDir: string): string[] {
  if (!existsSync(modelsDir)) return [];
  return readdirSync(modelsDir)
    .filter((name) => statSync(path.join(modelsDir, name)).isDirectory() && existsSync(path.join(modelsDir, name, SETTINGS_FILE)))
    .sort();
}

/** Reads and checks one model folder's settings; throws ModelEdgeConfigError listing every problem. */
export function readModelFolder(folder: string, environment?: string): ModelFolder {
  const abs = path.resolve(folder);
  const name = path.basename(abs);
  const file = path.join(abs, SETTINGS_FILE);
  const problems: ConfigProblem[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throwIfProblems([configProblem(name, SETTINGS_FILE, `${file} cannot be read as JSON (${(e as Error).message})`, 'fix the file so that it holds one JSON object; see docs/deployment-settings.md')]);
  }
  checkObject(raw, SCHEMA, '', name, problems);
  throwIfProblems(problems);

  const { environments, ...base } = raw as ModelSettings;
  const override = environment !== undefined ? environments?.[environment] : undefined;
  if (override !== undefined) checkObject(override, SCHEMA, `environments.${environment}.`, name, problems);
  if (override && 'environments' in override) {
    problems.push(configProblem(name, `environments.${environment}.environments`, 'environments cannot be nested', 'move the overrides up one level'));
  }
  const settings: Omit<ModelSettings, 'environments'> = mergeSettings(base, override ?? {});
  if (settings.apiKeySha256Variable !== undefined && !TF_VARIABLE_NAME.test(settings.apiKeySha256Variable)) {
    problems.push(configProblem(name, 'apiKeySha256Variable', `"${settings.apiKeySha256Variable}" is not a Terraform variable name`, 'use letters, digits, "_" and "-", starting with a letter or "_"'));
  }
  if (settings.apiKeySha256Variable !== undefined && settings.apiKeySha256 !== undefined) {
    problems.push(configProblem(name, 'apiKeySha256Variable', 'both apiKeySha256 and apiKeySha256Variable are set', 'keep one of them'));
  }
  throwIfProblems(problems);

  const versions = (settings.versions ?? [{ label: 'v1' }]).map((v) => ({
    label: v.label,
    modelPath: path.resolve(abs, v.model ?? 'model.onnx'),
    ...(v.percentage !== undefined ? { percentage: v.percentage } : {}),
  }));
  return { name, folder: abs, settings, versions };
}

/** Shallow merge, except that nested setting objects (limits, cache, ...) merge one level deeper. */
function mergeSettings<T extends object>(base: T, override: Partial<T>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(override)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? { ...b, ...v } : v;
  }
  return out as T;
}

function checkObject(value: unknown, schema: Record<string, FieldType>, prefix: string, model: string, problems: ConfigProblem[]): void {
  if (!isPlainObject(value)) {
    problems.push(configProblem(model, prefix.replace(/\.$/, '') || SETTINGS_FILE, 'is not a JSON object', 'write an object: { ... }'));
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    const field = `${prefix}${key}`;
    const type = schema[key];
    if (type === undefined) {
      problems.push(configProblem(model, field, 'is not a known setting', `remove it or correct the spelling; known: ${Object.keys(schema).filter((k) => k !== '$schema').join(', ')}`));
    } else if (typeof type === 'object') {
      checkObject(v, type, `${field}.`, model, problems);
    } else if (type === 'versions') {
      if (!Array.isArray(v)) problems.push(configProblem(model, field, 'is not a list', 'write [{"label": "v1", "model": "model.onnx"}]'));
      else v.forEach((item, i) => checkObject(item, VERSION_SCHEMA, `${field}[${i}].`, model, problems));
    } else if (type === 'environments') {
      if (!isPlainObject(v)) problems.push(configProblem(model, field, 'is not an object', 'write {"staging": {...overrides}}'));
    } else if (!hasType(v, type)) {
      // Values of key settings are never echoed: they may be raw keys pasted by mistake.
      const shown = /apiKey/i.test(key) ? 'something else' : JSON.stringify(v);
      problems.push(configProblem(model, field, `must be ${type === 'string[]' ? 'a list of strings' : `a ${type}`}, not ${shown}`, `write a ${type} value`));
    }
  }
}

function hasType(v: unknown, type: 'string' | 'number' | 'boolean' | 'string[]'): boolean {
  if (type === 'string[]') return Array.isArray(v) && v.every((x) => typeof x === 'string');
  return typeof v === type && (type !== 'number' || Number.isFinite(v));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
