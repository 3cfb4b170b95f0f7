/**
 * The V1 / TF Serving form: POST /v1/models/{m}:predict with
 *  - {"instances": [row, ...]}: one row per example; a row is the input's value without the batch
 *    dimension, or {inputName: value} for models with several inputs. Answered with
 *    {"predictions": [row, ...]} (a row is an object {outputName: value} when there are several outputs).
 *  - {"inputs": value | {inputName: value}}: whole tensors (columns). Answered with
 *    {"outputs": value | {outputName: value}}.
 * Shapes are read from the nesting of the arrays; datatypes are the model's.
 */
import type { Tensor } from '../runtime/tensor';
import type { ValueInfo } from '../runtime/graph';
import { badRequest, quote } from './request-error';
import { acceptedDatatypes } from './datatypes';
import { checkShape, readTensor } from './tensor-data';
import { checkAgainstModel, isObject } from './model-fit';
import { flatJson, jsonShape, nest, type JsonValue } from './tensor-json';
import type { SessionSignature } from './v2-request';

export type V1Form = 'instances' | 'inputs';

export interface V1Request {
  readonly form: V1Form;
  readonly feeds: Record<string, Tensor>;
  /** number of instances (rows) for the 'instances' form */
  readonly rows: number;
}

export function parseV1Request(body: unknown, model: SessionSignature, maxTensorElements: number): V1Request {
  if (!isObject(body)) throw badRequest('the request body must be a JSON object with "instances" or "inputs"');
  const hasInstances = body.instances !== undefined;
  const hasInputs = body.inputs !== undefined;
  if (hasInstances === hasInputs) throw badRequest('send exactly one of "instances" (rows) or "inputs" (columns)');
  const names = model.inputs.map((i) => i.name);
  const columns: Record<string, unknown> = Object.create(null);
  let rows = 0;

  if (hasInstances) {
    const instances = body.instances;
    if (!Array.isArray(instances) || instances.length === 0) throw badRequest('"instances" must be a non-empty array of rows');
    rows = instances.length;
    const keyed = instances.every((r) => isObject(r));
    if (names.length > 1 && !keyed) {
      throw badRequest(`this model has several inputs (${names.join(', ')}): each instance must be an object {inputName: value}`);
    }
    if (keyed && (names.length > 1 || isObject(instances[0]) && names[0] in (instances[0] as object))) {
      for (const name of names) columns[name] = [];
      instances.forEach((r, k) => {
        const row = r as Record<string, unknown>;
        for (const key of Object.keys(row)) {
          if (!names.includes(key)) throw badRequest(`instances[${k}]: unknown input ${quote(key)}; this model's inputs are ${names.join(', ')}`);
        }
        for (const name of names) {
          if (row[name] === undefined) throw badRequest(`instances[${k}]: missing input ${quote(name)}`);
          (columns[name] as unknown[]).push(row[name]);
        }
      });
    } else {
      columns[names[0]] = instances;
    }
  } else {
    const inputs = body.inputs;
    if (isObject(inputs)) {
      for (const key of Object.keys(inputs)) {
        if (!names.includes(key)) throw badRequest(`unknown input ${quote(key)}; this model's inputs are ${names.join(', ')}`);
        columns[key] = inputs[key];
      }
      const missing = names.filter((n) => columns[n] === undefined);
      if (missing.length > 0) throw badRequest(`missing input${missing.length > 1 ? 's' : ''} ${missing.map((m) => quote(m)).join(', ')}`);
    } else if (names.length === 1) {
      columns[names[0]] = inputs;
    } else {
      throw badRequest(`this model has several inputs (${names.join(', ')}): "inputs" must be an object {inputName: value}`);
    }
  }

  const feeds: Record<string, Tensor> = Object.create(null);
  for (const info of model.inputs) {
    const where = `input ${quote(info.name)}`;
    const value = columns[info.name];
    const shape = shapeOfNested(value, where);
    checkShape(shape, maxTensorElements, where);
    checkAgainstModel(shape, info, where);
    const data = shape.length === 0 ? [value] : value;
    feeds[info.name] = readTensor(data, shape, acceptedDatatypes(info)[0], where);
  }
  return { form: hasInstances ? 'instances' : 'inputs', feeds, rows };
}

/** The shape implied by following the first element of each nesting level. */
function shapeOfNested(value: unknown, where: string): number[] {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (shape.length > 16) throw badRequest(`${where}: nested more than 16 levels deep`);
    if (v.length === 0) break;
    v = v[0];
  }
  return shape;
}

export function encodeV1Response(
  req: V1Request,
  results: Readonly<Record<string, Tensor>>,
  outputs: readonly ValueInfo[],
  modelVersion: string,
): Record<string, unknown> {
  const names = outputs.map((o) => o.name);
  if (req.form === 'inputs') {
    const whole = (name: string) => {
      const t = results[name];
      return nest(flatJson(t), jsonShape(t));
    };
    const value = names.length === 1 ? whole(names[0]) : Object.fromEntries(names.map((n) => [n, whole(n)]));
    return { outputs: value, model_version: modelVersion };
  }
  const perRow = new Map(names.map((n) => [n, splitRows(results[n], req.rows)]));
  const predictions: JsonValue[] | Record<string, JsonValue>[] = [];
  for (let r = 0; r < req.rows; r++) {
    if (names.length === 1) (predictions as JsonValue[]).push(perRow.get(names[0])![r]);
    else (predictions as Record<string, JsonValue>[]).push(Object.fromEntries(names.map((n) => [n, perRow.get(n)![r]])));
  }
  return { predictions, model_version: modelVersion };
}

/** Row r of a batched output; an output without the batch dimension is repeated in every row. */
function splitRows(t: Tensor, rows: number): JsonValue[] {
  const shape = jsonShape(t);
  const flat = flatJson(t);
  if (shape.length === 0 || shape[0] !== rows) {
    const whole = nest(flat, shape);
    return new Array(rows).fill(whole);
  }
  const rest = shape.slice(1);
  const step = rest.reduce((a, b) => a * b, 1);
  const out: JsonValue[] = [];
  for (let r = 0; r < rows; r++) out.push(nest(flat, rest, r * step));
  return out;
}
