/**
 * Lookups the protocol code makes on every request (input by name, its accepted datatypes and the
 * name as quoted in error messages; output datatypes; the list of all output names), built once
 * per model signature instead of per request. Keyed on the signature's own arrays, which live as
 * long as the loaded model.
 */
import type { ValueInfo } from '../runtime/graph';
import { quote } from './request-error';
import { acceptedDatatypes, datatypeOf, type Datatype } from './datatypes';

export interface InputEntry {
  readonly info: ValueInfo;
  readonly accepted: readonly Datatype[];
  /** `input "name"`, the prefix of this input's error messages */
  readonly where: string;
}

export interface OutputEntry {
  readonly info: ValueInfo;
  readonly datatype: Datatype;
}

const inputIndexes = new WeakMap<readonly ValueInfo[], ReadonlyMap<string, InputEntry>>();
const outputIndexes = new WeakMap<readonly ValueInfo[], ReadonlyMap<string, OutputEntry>>();
const outputNameLists = new WeakMap<readonly ValueInfo[], readonly string[]>();

export function inputIndex(inputs: readonly ValueInfo[]): ReadonlyMap<string, InputEntry> {
  let index = inputIndexes.get(inputs);
  if (!index) {
    index = new Map(inputs.map((info) => [info.name, { info, accepted: acceptedDatatypes(info), where: `input ${quote(info.name)}` }]));
    inputIndexes.set(inputs, index);
  }
  return index;
}

export function outputIndex(outputs: readonly ValueInfo[]): ReadonlyMap<string, OutputEntry> {
  let index = outputIndexes.get(outputs);
  if (!index) {
    index = new Map(outputs.map((info) => [info.name, { info, datatype: datatypeOf(info) }]));
    outputIndexes.set(outputs, index);
  }
  return index;
}

/** Every output's name in model order (shared: callers must not modify it). */
export function outputNames(outputs: readonly ValueInfo[]): readonly string[] {
  let names = outputNameLists.get(outputs);
  if (!names) {
    names = Object.freeze(outputs.map((o) => o.name));
    outputNameLists.set(outputs, names);
  }
  return names;
}
