/**
 * The request's JSON log line, written by concatenation: a log entry object per request only to
 * serialize it at once was measurable garbage on a small request. Fields, in order: message,
 * requestId, method, path, status, durationMs, cache, model, version, workerVersion, and for a
 * fault error and stack; absent values are left out, as JSON.stringify would.
 */
import type { ModelConfig } from '../env';
import { printable } from '../protocol/request-error';
import type { AppContext, RequestState } from './types';

const MAX_PATH = 200;

export function logLine(c: AppContext, status: number, state: RequestState): string {
  const path = c.req.path;
  let line =
    '{"message":"request","requestId":"' + state.requestId + // a plain token: see requestContext
    '","method":' + quotedMethod(c.req.method) +
    ',"path":' + quotedPath(path) +
    ',"status":' + status +
    ',"durationMs":' + round(performance.now() - state.startedAt) +
    ',"cache":"' + (state.cacheStatus ?? 'bypass') + '"';
  if (state.config !== undefined) line += modelFields(state.config);
  const workerVersion = c.env?.CF_VERSION_METADATA?.id;
  if (workerVersion !== undefined) line += ',"workerVersion":' + JSON.stringify(workerVersion);
  const fault = state.fault;
  if (fault !== undefined) {
    const err = fault instanceof Error ? fault : new Error(String(fault));
    line += ',"error":' + JSON.stringify(err.message);
    if (err.stack !== undefined) line += ',"stack":' + JSON.stringify(err.stack);
  }
  return line + '}';
}

export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function quotedMethod(method: string): string {
  return method === 'POST' ? '"POST"' : method === 'GET' ? '"GET"' : JSON.stringify(method);
}

/** The path as a JSON string, kept for the last path seen: a Worker serves the same few paths. */
let quotedOf: string | undefined;
let quoted = '';

function quotedPath(path: string): string {
  if (path !== quotedOf) {
    quoted = JSON.stringify(printable(path, MAX_PATH));
    quotedOf = path;
  }
  return quoted;
}

/** `,"model":..,"version":..` of the last config seen (the config object is the same every request). */
let fieldsOf: ModelConfig | undefined;
let fields = '';

function modelFields(config: ModelConfig): string {
  if (config !== fieldsOf) {
    fields = ',"model":' + JSON.stringify(config.name) + ',"version":' + JSON.stringify(config.version);
    fieldsOf = config;
  }
  return fields;
}
