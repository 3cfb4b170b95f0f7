/**
 * KServe V2 datatype names and the runtime dtypes they map to.
 * FP16 has no dtype of its own: values arrive as numbers and are rounded to half precision into a
 * float32 tensor (the runtime computes float16 models in float32).
 */
import type { DType } from '../runtime/tensor';
import type { ValueInfo } from '../runtime/graph';

export type Datatype =
  | 'BOOL'
  | 'UINT8'
  | 'UINT16'
  | 'UINT32'
  | 'UINT64'
  | 'INT8'
  | 'INT16'
  | 'INT32'
  | 'INT64'
  | 'FP16'
  | 'FP32'
  | 'FP64'
  | 'BYTES';

export const DATATYPE_TO_DTYPE: Readonly<Record<Datatype, DType>> = {
  BOOL: 'bool',
  UINT8: 'uint8',
  UINT16: 'uint16',
  UINT32: 'uint32',
  UINT64: 'uint64',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FP16: 'float32',
  FP32: 'float32',
  FP64: 'float64',
  BYTES: 'string',
};

const DTYPE_TO_DATATYPE: Readonly<Record<DType, Datatype>> = {
  bool: 'BOOL',
  uint8: 'UINT8',
  uint16: 'UINT16',
  uint32: 'UINT32',
  uint64: 'UINT64',
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  float32: 'FP32',
  float64: 'FP64',
  string: 'BYTES',
};

export function isDatatype(v: unknown): v is Datatype {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(DATATYPE_TO_DTYPE, v);
}

/**
 * The datatype a model's value is described with. ZipMap outputs ('map-rows') are FP32: their
 * [N, C] scores (see zipmap-labels.ts).
 */
export function datatypeOf(info: Pick<ValueInfo, 'dtype' | 'declaredFloat16' | 'kind'>): Datatype {
  if (info.declaredFloat16 && info.dtype === 'float32') return 'FP16';
  return DTYPE_TO_DATATYPE[info.dtype];
}

export function datatypeOfDType(dtype: DType): Datatype {
  return DTYPE_TO_DATATYPE[dtype];
}

/** Datatypes a request may send for a model input: its own, plus FP32/FP16 for each other. */
export function acceptedDatatypes(info: Pick<ValueInfo, 'dtype' | 'declaredFloat16'>): readonly Datatype[] {
  const own = datatypeOf(info);
  if (own === 'FP16') return ['FP16', 'FP32'];
  return [own];
}

/** A model shape for clients: symbolic and unknown dimensions become -1; unknown rank is [-1]. */
export function publicShape(info: Pick<ValueInfo, 'shape'>): number[] {
  if (info.shape === null) return [-1];
  return info.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : -1));
}
