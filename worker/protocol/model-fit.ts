/** Checks shared by V1 and V2: does a request tensor fit the model's declared input? */
import type { ValueInfo } from '../runtime/graph';
import { badRequest, quote } from './request-error';
import { publicShape } from './datatypes';
import { outputNames } from './signature-index';

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Rank and fixed dimensions must match; symbolic or unknown dimensions take any size. */
export function checkAgainstModel(shape: readonly number[], info: ValueInfo, where: string): void {
  if (info.shape === null) return;
  const expected = publicShape(info);
  const fits = shape.length === info.shape.length && info.shape.every((d, i) => typeof d !== 'number' || d < 0 || d === shape[i]);
  if (!fits) {
    throw badRequest(`${where}: shape [${shape.join(', ')}] does not fit the model's [${expected.join(', ')}] (-1 is any size)`);
  }
}

/** Validates requested output names (unknown or repeated -> 400); all outputs when none asked. */
export function selectOutputs(requested: readonly unknown[] | undefined, outputs: readonly ValueInfo[]): readonly string[] {
  if (requested === undefined || requested.length === 0) return outputNames(outputs);
  const known = new Set(outputs.map((o) => o.name));
  const seen = new Set<string>();
  for (const name of requested) {
    if (typeof name !== 'string' || !known.has(name)) {
      throw badRequest(`unknown output ${quote(name)}; this model's outputs are ${outputs.map((o) => o.name).join(', ')}`);
    }
    if (seen.has(name)) throw badRequest(`output ${quote(name)} is requested twice`);
    seen.add(name);
  }
  return [...seen];
}
