/**
 * The binary tensor data extension (Triton's, also spoken by KServe's clients): tensor bytes after
 * the JSON, little-endian, row-major, no padding; BOOL one byte (0 or 1); BYTES each element as a
 * 4-byte little-endian length and its bytes. FP16 is carried as IEEE half floats (the runtime
 * computes in float32). Binary data is exact: NaN, infinities and signed zeros pass unchanged.
 */
import { Tensor, float16BitsToNumber, numberToFloat16Bits, viewData, type DType } from '../runtime/tensor';
import { DATATYPE_TO_DTYPE, type Datatype } from './datatypes';
import { badRequest } from './request-error';

/** Bytes per element of each fixed-size datatype (BYTES is variable). */
export const DATATYPE_BYTES: Readonly<Record<Exclude<Datatype, 'BYTES'>, number>> = {
  BOOL: 1, UINT8: 1, INT8: 1, UINT16: 2, INT16: 2, FP16: 2, UINT32: 4, INT32: 4, FP32: 4, UINT64: 8, INT64: 8, FP64: 8,
};

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const ENCODER = new TextEncoder();

/** `binary_data_size` of an input, checked to be a byte count. */
export function binaryDataSize(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw badRequest(`${where}: parameters.binary_data_size must be a non-negative integer (the tensor's byte length in the binary data)`);
  }
  return value;
}

/** One input's binary data -> Tensor; `bytes` is exactly its `binary_data_size` bytes. */
export function readBinaryTensor(bytes: Uint8Array, shape: readonly number[], datatype: Datatype, where: string): Tensor {
  const count = shape.reduce((a, b) => a * b, 1);
  const dtype = DATATYPE_TO_DTYPE[datatype];
  if (datatype === 'BYTES') return new Tensor(dtype, shape.slice(), readStrings(bytes, count, where) as never);
  const itemSize = DATATYPE_BYTES[datatype];
  if (bytes.length !== count * itemSize) {
    throw badRequest(
      `${where}: binary_data_size is ${bytes.length} but shape [${shape.join(', ')}] of ${datatype} needs ${count * itemSize} bytes (${count} × ${itemSize})`,
    );
  }
  // A copy: the body's offset need not be aligned for the typed array, and the tensor outlives it.
  const buffer = bytes.slice().buffer;
  if (datatype === 'FP16') {
    const half = new Uint16Array(buffer);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = float16BitsToNumber(half[i]);
    return new Tensor('float32', shape.slice(), out);
  }
  if (datatype === 'BOOL') {
    const flags = new Uint8Array(buffer);
    for (let i = 0; i < count; i++) {
      if (flags[i] > 1) throw badRequest(`${where}: BOOL element ${i} is the byte ${flags[i]}; binary BOOL elements are one byte, 0 or 1`);
    }
    return new Tensor('bool', shape.slice(), flags);
  }
  return new Tensor(dtype, shape.slice(), viewData(dtype as Exclude<DType, 'string'>, buffer, 0, count) as never);
}

function readStrings(bytes: Uint8Array, count: number, where: string): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<string>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 4 > bytes.length) {
      throw badRequest(`${where}: the binary data ends before element ${i} of ${count} (each BYTES element is a 4-byte little-endian length, then its bytes)`);
    }
    const length = view.getUint32(at, true);
    at += 4;
    if (length > bytes.length - at) {
      throw badRequest(`${where}: BYTES element ${i} declares ${length} bytes but only ${bytes.length - at} remain in its binary_data_size`);
    }
    try {
      out[i] = UTF8.decode(bytes.subarray(at, at + length));
    } catch {
      throw badRequest(`${where}: BYTES element ${i} is not valid UTF-8 (this model takes text)`);
    }
    at += length;
  }
  if (at !== bytes.length) {
    throw badRequest(`${where}: binary_data_size is ${bytes.length} but the ${count} BYTES elements take ${at} bytes`);
  }
  return out;
}

/** A result tensor as binary data, in the datatype the response declares for it. */
export function encodeBinaryTensor(t: Tensor, datatype: Datatype): Uint8Array {
  if (t.dtype === 'string') return encodeStrings(t.data as readonly string[]);
  if (datatype === 'FP16') {
    const src = t.data as Float32Array;
    const half = new Uint16Array(src.length);
    for (let i = 0; i < src.length; i++) half[i] = numberToFloat16Bits(src[i]);
    return new Uint8Array(half.buffer);
  }
  if (t.dtype === 'bool') {
    const src = t.data as Uint8Array;
    const out = new Uint8Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = src[i] !== 0 ? 1 : 0;
    return out;
  }
  // Numeric tensors (ZipMap rows included: their float32 scores) are their typed array's bytes.
  const data = t.data as ArrayBufferView;
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function encodeStrings(values: readonly string[]): Uint8Array {
  const encoded = values.map((s) => ENCODER.encode(s));
  const out = new Uint8Array(encoded.reduce((n, e) => n + 4 + e.length, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const e of encoded) {
    view.setUint32(at, e.length, true);
    out.set(e, at + 4);
    at += 4 + e.length;
  }
  return out;
}
