/**
 * Open Inference Protocol (KServe V2) inference request -> feeds for the session.
 * Request: {id?, parameters?, inputs: [{name, shape, datatype, parameters?, data}], outputs?: [{name}]}.
 * `parameters` are accepted and ignored.
 */
import type { Tensor } from '../runtime/tensor';
import type { ValueInfo } from '../runtime/graph';
import { badRequest, quote } from '../middleware/http-error';
import { isDatatype } from './datatypes';
import { inputIndex } from './signature-index';
import { checkShape, readTensor } from './tensor-data';
import { checkAgainstModel, isObject, selectOutputs } from './model-fit';

export interface SessionSignature {
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
}

export interface InferRequest {
  readonly id?: string;
  readonly feeds: Record<string, Tensor>;
  /** the outputs to compute, in the order to answer them */
  readonly outputNames: readonly string[];
}

export function parseV2Request(body: unknown, model: SessionSignature, maxTensorElements: number): InferRequest {
  if (!isObject(body)) throw badRequest('the request body must be a JSON object like {"inputs": [...]}');
  const id = body.id;
  if (id !== undefined && typeof id !== 'string') throw badRequest('"id" must be a string');
  if (id !== undefined && id.length > 256) throw badRequest('"id" is longer than 256 characters');
  const inputs = body.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw badRequest('"inputs" must be a non-empty array of {name, shape, datatype, data}');
  }
  const byName = inputIndex(model.inputs);
  const feeds: Record<string, Tensor> = Object.create(null);
  inputs.forEach((input, k) => {
    if (!isObject(input)) throw badRequest(`inputs[${k}] must be an object {name, shape, datatype, data}`);
    const name = input.name;
    if (typeof name !== 'string') throw badRequest(`inputs[${k}].name must be a string`);
    const entry = byName.get(name);
    if (!entry) {
      throw badRequest(`unknown input ${quote(name)}; this model's inputs are ${model.inputs.map((i) => i.name).join(', ')}`);
    }
    if (name in feeds) throw badRequest(`input ${quote(name)} is given twice`);
    const { info, where, accepted } = entry;
    const datatype = input.datatype;
    if (!isDatatype(datatype) || !accepted.includes(datatype)) {
      throw badRequest(`${where}: datatype ${quote(datatype)} does not match the model, which expects ${accepted.join(' or ')}`);
    }
    if (input.data === undefined) throw badRequest(`${where}: "data" is missing`);
    checkShape(input.shape, maxTensorElements, where);
    const shape = input.shape as number[];
    checkAgainstModel(shape, info, where);
    feeds[name] = readTensor(input.data, shape, datatype, where);
  });
  let missing: string[] | undefined;
  for (const i of model.inputs) if (!(i.name in feeds)) (missing ??= []).push(i.name);
  if (missing) throw badRequest(`missing input${missing.length > 1 ? 's' : ''} ${missing.map((m) => quote(m)).join(', ')}`);

  let requested: unknown[] | undefined;
  if (body.outputs !== undefined) {
    if (!Array.isArray(body.outputs)) throw badRequest('"outputs" must be an array of {name}');
    requested = body.outputs.map((o, k) => {
      if (!isObject(o) || typeof o.name !== 'string') throw badRequest(`outputs[${k}] must be an object {name}`);
      return o.name;
    });
  }
  return { ...(id !== undefined ? { id } : {}), feeds, outputNames: selectOutputs(requested, model.outputs) };
}
