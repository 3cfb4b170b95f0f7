/**
 * Session results -> Open Inference Protocol answers: JSON, or with the binary tensor data
 * extension the JSON header followed by the requested outputs' bytes (application/octet-stream,
 * `Inference-Header-Content-Length` giving the header's length).
 *
 * JSON cannot carry NaN or infinities: they are written as null (as KServe's own server does);
 * binary outputs carry every value exactly.
 */
import { MapRowsTensor, type Tensor } from '../runtime/tensor';
import type { ValueInfo } from '../runtime/graph';
import { datatypeOf, datatypeOfDType, publicShape, type Datatype } from './datatypes';
import { flatNumbersJson, type JsonValue } from './tensor-json';
import { outputIndex } from './signature-index';
import { encodeBinaryTensor } from './binary-tensor';
import { classLabelsText, type ClassLabels } from './zipmap-labels';
import type { Answer } from './answer';

export interface OutputTensorJson {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: Record<string, string | number | boolean>;
  data?: JsonValue[];
}

export interface InferResponseJson {
  model_name: string;
  model_version: string;
  id?: string;
  outputs: OutputTensorJson[];
}

export const BINARY_HEADER_LENGTH = 'Inference-Header-Content-Length';
const ENCODER = new TextEncoder();

export function encodeV2Response(
  modelName: string,
  modelVersion: string,
  id: string | undefined,
  results: Readonly<Record<string, Tensor>>,
  outputNames: readonly string[],
  outputs: readonly ValueInfo[],
  binaryOutputs?: ReadonlySet<string>,
): Answer {
  const infos = outputIndex(outputs);
  let parts: Uint8Array[] | undefined;
  const response: InferResponseJson = {
    model_name: modelName,
    model_version: modelVersion,
    ...(id !== undefined ? { id } : {}),
    outputs: outputNames.map((name) => {
      const t = results[name];
      const datatype: Datatype = infos.get(name)?.datatype ?? datatypeOfDType(t.dtype);
      const out: OutputTensorJson = { name, datatype, shape: t instanceof MapRowsTensor ? mapRowsShape(t) : t.shape.slice() };
      if (t instanceof MapRowsTensor) out.parameters = { class_labels: classLabelsText(t.keys) };
      if (binaryOutputs?.has(name)) {
        const bytes = encodeBinaryTensor(t, datatype);
        (out.parameters ??= {}).binary_data_size = bytes.length;
        (parts ??= []).push(bytes);
      } else {
        out.data = flatNumbersJson(t);
      }
      return out;
    }),
  };
  const json = JSON.stringify(response);
  if (parts === undefined) return { body: json, contentType: 'application/json' };
  const header = ENCODER.encode(json);
  const body = new Uint8Array(parts.reduce((n, p) => n + p.length, header.length));
  body.set(header, 0);
  let at = header.length;
  for (const p of parts) {
    body.set(p, at);
    at += p.length;
  }
  return { body, contentType: 'application/octet-stream', headers: { [BINARY_HEADER_LENGTH]: String(header.length) } };
}

/** [N, C]: the scores behind the rows. */
function mapRowsShape(t: MapRowsTensor): number[] {
  const c = t.keys.length;
  return [c === 0 ? 0 : Math.floor(t.data.length / c), c];
}

export interface TensorMetadataJson {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: Record<string, string>;
}

/** Model metadata of one tensor; `labels` for a ZipMap output (see zipmap-labels.ts). */
export function tensorMetadata(info: ValueInfo, labels?: ClassLabels): TensorMetadataJson {
  if (info.kind === 'map-rows') {
    return {
      name: info.name,
      datatype: datatypeOf(info),
      shape: [-1, labels?.length ?? -1],
      ...(labels ? { parameters: { class_labels: classLabelsText(labels) } } : {}),
    };
  }
  return { name: info.name, datatype: datatypeOf(info), shape: publicShape(info) };
}
