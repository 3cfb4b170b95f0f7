/** The model's inputs and outputs as its metadata reports them (ZipMap outputs with their class labels). */
import type { LoadedModel } from '../http/model';
import { tensorMetadata, type TensorMetadataJson } from '../protocol/v2-response';

export function modelTensors(model: LoadedModel): { inputs: TensorMetadataJson[]; outputs: TensorMetadataJson[] } {
  return {
    inputs: model.inputs.map((info) => tensorMetadata(info)),
    outputs: model.outputs.map((info) => tensorMetadata(info, model.classLabels.get(info.name))),
  };
}
