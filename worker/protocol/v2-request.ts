/**
 * Open Inference Protocol (KServe V2) inference request -> feeds for the session.
 * Request: {id?, parameters?, inputs: [{name, shape, datatype, parameters?, data}], outputs?: [{name, parameters?}]}.
 *
 * With the binary tensor data extension an input has `parameters.binary_data_size` instead of
 * `data`, and its bytes follow the JSON in input order; `parameters.binary_data_output` (request)
 * and `outputs[].parameters.binary_data` ask for binary outputs. Other parameters are ignored.
 */
import type { Tensor } from '../runtime/tensor';
import type { ValueInfo } from '../runtime/graph';
import { badRequest, quote } from './request-error';
import { isDatatype } from './datatypes';
import { inputIndex } from './signature-index';
import { checkShape, readTensor } from './tensor-data';
import { binaryDataSize, readBinaryTensor } from './binary-tensor';
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
  /** the outputs to answer as binary data (undefined: all as JSON) */
  readonly binaryOutputs?: ReadonlySet<string>;
}

/**
 * `json` is the request object; `binary` the bytes after it when the request used the binary
 * extension (undefined otherwise).
 */
export function parseV2Request(json: unknown, binary: Uint8Array | undefined, model: SessionSignature, maxTensorElements: number): InferRequest {
  if (!isObject(json)) throw badRequest('the request body must be a JSON object like {"inputs": [...]}');
  // Any length: the body limit bounds it, and the protocol echoes what was given.
  const id = json.id;
  if (id !== undefined && typeof id !== 'string') throw badRequest('"id" must be a string');
  const inputs = json.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw badRequest('"inputs" must be a non-empty array of {name, shape, datatype, data}');
  }
  const byName = inputIndex(model.inputs);
  const feeds: Record<string, Tensor> = Object.create(null);
  let binaryAt = 0;
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
    const size = binarySizeOf(input.parameters, where);
    if (size === undefined && input.data === undefined) throw badRequest(`${where}: "data" is missing`);
    checkShape(input.shape, maxTensorElements, where);
    const shape = input.shape as number[];
    checkAgainstModel(shape, info, where);
    if (size === undefined) {
      feeds[name] = readTensor(input.data, shape, datatype, where);
      return;
    }
    if (input.data !== undefined) throw badRequest(`${where}: give either "data" or parameters.binary_data_size, not both`);
    if (binary === undefined) {
      throw badRequest(`${where}: parameters.binary_data_size needs the binary data after the JSON and the Inference-Header-Content-Length header giving the JSON's length`);
    }
    if (size > binary.length - binaryAt) {
      throw badRequest(`${where}: binary_data_size ${size} runs past the end of the body (${binary.length - binaryAt} bytes of binary data left)`);
    }
    feeds[name] = readBinaryTensor(binary.subarray(binaryAt, binaryAt + size), shape, datatype, where);
    binaryAt += size;
  });
  if (binary !== undefined && binaryAt !== binary.length) {
    throw badRequest(
      `the body has ${binary.length} bytes of binary data after the JSON header but the inputs' binary_data_size add up to ${binaryAt}; check Inference-Header-Content-Length and each binary_data_size`,
    );
  }
  let missing: string[] | undefined;
  for (const i of model.inputs) if (!(i.name in feeds)) (missing ??= []).push(i.name);
  if (missing) throw badRequest(`missing input${missing.length > 1 ? 's' : ''} ${missing.map((m) => quote(m)).join(', ')}`);

  const allBinary = flag(isObject(json.parameters) ? json.parameters.binary_data_output : undefined, 'parameters.binary_data_output') ?? false;
  let requested: unknown[] | undefined;
  let binaryOutputs: Set<string> | undefined;
  if (json.outputs !== undefined) {
    if (!Array.isArray(json.outputs)) throw badRequest('"outputs" must be an array of {name}');
    requested = json.outputs.map((o, k) => {
      if (!isObject(o) || typeof o.name !== 'string') throw badRequest(`outputs[${k}] must be an object {name}`);
      const own = flag(isObject(o.parameters) ? o.parameters.binary_data : undefined, `outputs[${k}].parameters.binary_data`);
      if (own ?? allBinary) (binaryOutputs ??= new Set()).add(o.name);
      return o.name;
    });
  }
  const outputNames = selectOutputs(requested, model.outputs);
  if (allBinary && requested === undefined) binaryOutputs = new Set(outputNames);
  return {
    ...(id !== undefined ? { id } : {}),
    feeds,
    outputNames,
    ...(binaryOutputs !== undefined ? { binaryOutputs } : {}),
  };
}

function binarySizeOf(parameters: unknown, where: string): number | undefined {
  if (parameters === undefined) return undefined;
  if (!isObject(parameters)) throw badRequest(`${where}: "parameters" must be an object`);
  const size = parameters.binary_data_size;
  return size === undefined ? undefined : binaryDataSize(size, where);
}

function flag(value: unknown, where: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw badRequest(`${where} must be true or false`);
}
