/** The model's interface in KServe V2 terms (datatype names, -1 for variable dimensions). */
import type { ValueInfo } from '../../worker/runtime/graph';
import type { DType } from '../../worker/runtime/tensor';

export type KServeDatatype =
  | 'BOOL' | 'UINT8' | 'UINT16' | 'UINT32' | 'UINT64' | 'INT8' | 'INT16' | 'INT32' | 'INT64'
  | 'FP16' | 'FP32' | 'FP64' | 'BYTES';

export interface TensorSpec {
  readonly name: string;
  readonly datatype: KServeDatatype;
  /** -1 marks a variable dimension; [] for a scalar; [-1] when even the rank is unknown */
  readonly shape: number[];
}

export interface ModelSignature {
  readonly inputs: TensorSpec[];
  readonly outputs: TensorSpec[];
}

const KSERVE: Record<DType, KServeDatatype> = {
  float32: 'FP32', float64: 'FP64', int8: 'INT8', int16: 'INT16', int32: 'INT32', int64: 'INT64',
  uint8: 'UINT8', uint16: 'UINT16', uint32: 'UINT32', uint64: 'UINT64', bool: 'BOOL', string: 'BYTES',
};

export function kserveDatatype(v: Pick<ValueInfo, 'dtype' | 'declaredFloat16'>): KServeDatatype {
  return v.declaredFloat16 ? 'FP16' : KSERVE[v.dtype];
}

export function tensorSpec(v: ValueInfo): TensorSpec {
  const shape = v.shape ? v.shape.map((d) => (typeof d === 'number' ? d : -1)) : [-1];
  return { name: v.name, datatype: kserveDatatype(v), shape };
}

export function signatureOf(graph: { inputs: readonly ValueInfo[]; outputs: readonly ValueInfo[] }): ModelSignature {
  return { inputs: graph.inputs.map(tensorSpec), outputs: graph.outputs.map(tensorSpec) };
}
