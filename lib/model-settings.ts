/**
 * Per-model settings: `models/<name>/deployment.json`, read, type-checked and merged with the
 * overrides of one environment. The schema is documented in docs/deployment-settings.md.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'fs';
import * as path from 'path';
import { ConfigProblem, configProblem, throwIfProblems } from './errors';
import type { ModelVersionConfig, SharedDeploymentSettings } from './config/types';
import { Schema, SettingType, schemaFor } from './settings-declaration';

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

/** The settings of deployment.json that one environment may override (every field optional). */
export interface ModelSettingsBase extends SharedDeploymentSettings {
  /** @default the folder name */
  readonly modelName?: string;
  /** @default one version "v1" of model.onnx */
  readonly versions?: VersionSettings[];
  /** Name of a sensitive Terraform variable (list(string), no default) that supplies the key hashes at apply time. */
  readonly apiKeySha256Variable?: string;
}

/** The contents of deployment.json (every field optional). */
export interface ModelSettings extends ModelSettingsBase {
  /** Per-environment overrides, e.g. {"staging": {"routes": [...]}}; merged over the top-level settings. */
  readonly environments?: { [environment: string]: ModelSettingsBase };
}

/** A model folder's settings for one environment. */
export interface ModelFolder {
  /** The folder name, used as the construct id and the default model name. */
  readonly name: string;
  /** Absolute path of the folder. */
  readonly folder: string;
  /** Settings with the environment's overrides applied and the `environments` key removed. */
  readonly settings: ModelSettingsBase;
  /** Absolute path of each version's model file, in order. */
  readonly versions: ModelVersionConfig[];
}


/** deployment.json's schema, derived from the one declaration of the settings. */
const { top: DECLARED, version: VERSION_SCHEMA } = schemaFor('json');
const SCHEMA: Schema = { $schema: 'string', ...DECLARED };
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
  const settings: ModelSettingsBase = mergeSettings(base, override ?? {});
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

function checkObject(value: unknown, schema: Schema, prefix: string, model: string, problems: ConfigProblem[]): void {
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
    } else if (type === 'bindings' || type === 'object') {
      problems.push(configProblem(model, field, 'can only be set in the construct', 'remove it from deployment.json'));
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
