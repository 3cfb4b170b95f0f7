/** Session results -> Open Inference Protocol response objects. */
import type { Tensor } from '../runtime/tensor';
import type { ValueInfo } from '../runtime/graph';
import { datatypeOf, datatypeOfDType, publicShape } from './datatypes';
import { flatJson, jsonShape, type JsonValue } from './tensor-json';
import { outputIndex } from './signature-index';

export interface OutputTensorJson {
  name: string;
  datatype: string;
  shape: number[];
  data: JsonValue[];
}

export interface InferResponseJson {
  model_name: string;
  model_version: string;
  id?: string;
  outputs: OutputTensorJson[];
}

export function encodeV2Response(
  modelName: string,
  modelVersion: string,
  id: string | undefined,
  results: Readonly<Record<string, Tensor>>,
  outputNames: readonly string[],
  outputs: readonly ValueInfo[],
): InferResponseJson {
  const infos = outputIndex(outputs);
  return {
    model_name: modelName,
    model_version: modelVersion,
    ...(id !== undefined ? { id } : {}),
    outputs: outputNames.map((name) => {
      const t = results[name];
      const entry = infos.get(name);
      return {
        name,
        datatype: entry ? entry.datatype : datatypeOfDType(t.dtype),
        shape: jsonShape(t),
        data: flatJson(t),
      };
    }),
  };
}

export interface TensorMetadataJson {
  name: string;
  datatype: string;
  shape: number[];
}

export function tensorMetadata(info: ValueInfo): TensorMetadataJson {
  return {
    name: info.name,
    datatype: datatypeOf(info),
    // A ZipMap output is a vector of row objects, whatever the underlying [N, C] shape.
    shape: info.kind === 'map-rows' ? [publicShape(info)[0] ?? -1] : publicShape(info),
  };
}
