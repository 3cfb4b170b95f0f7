/**
 * Names: the model name clients use, the environment, and the Worker name, whose default carries
 * the environment so the same model in two environments never shares a Worker.
 */
import { createHash } from 'crypto';
import { MODEL_NAME_PATTERN } from '../../worker/env';
import { ProblemSink, isToken, requireLiteral } from './tokens';

const WORKER_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_WORKER_NAME = 63;

/** Lower-case letters, digits and single dashes. */
function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * The default Worker name: `model-edge-<model>[-<environment>]`. A name over 63 characters is
 * shortened and ends in a hash of the full name, so shortening never makes two names equal.
 */
export function defaultWorkerName(modelName: string, environment = ''): string {
  const full = ['model-edge', slug(modelName), slug(environment)].filter((p) => p !== '').join('-');
  if (full.length <= MAX_WORKER_NAME) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, MAX_WORKER_NAME - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

export function resolveModelName(modelName: unknown, problem: ProblemSink): boolean {
  if (modelName === undefined || modelName === null || modelName === '') {
    problem('modelName', 'no model name is given', 'set modelName to the name clients use in /v2/models/{name}, e.g. "iris"');
    return false;
  }
  if (!requireLiteral(modelName, 'modelName', 'it is part of URLs, outputs and the default Worker name', problem)) return false;
  if (typeof modelName !== 'string' || !MODEL_NAME_PATTERN.test(modelName)) {
    problem('modelName', `"${String(modelName)}" is not a valid model name`, 'use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');
    return false;
  }
  return true;
}

export function resolveEnvironment(environment: string | undefined, stackName: string, problem: ProblemSink): string {
  if (environment === undefined) return stackName;
  if (!requireLiteral(environment, 'environment', 'it is part of the default Worker name', problem)) return '';
  if (typeof environment !== 'string' || (environment !== '' && slug(environment) === '')) {
    problem('environment', `${JSON.stringify(environment)} is not an environment name`, 'use letters, digits and "-", e.g. "staging", or "" for none');
    return '';
  }
  return environment;
}

export function resolveWorkerName(explicit: string | undefined, modelName: string, environment: string, problem: ProblemSink): string {
  if (explicit === undefined) return defaultWorkerName(modelName, environment);
  if (isToken(explicit)) return explicit;
  if (typeof explicit !== 'string' || !WORKER_NAME.test(explicit)) {
    problem('workerName', `"${String(explicit)}" is not a valid Worker name`, 'use 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit');
  }
  return explicit;
}
