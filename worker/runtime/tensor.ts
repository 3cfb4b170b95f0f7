/**
 * Tensors are thin views over flat, row-major typed arrays; shapes are plain number arrays.
 *
 * float16 has no typed array of its own here: float16 values are carried as float32 that have been
 * rounded to half precision (see `roundToFloat16`), which is what every kernel then computes with.
 * int64 and uint64 use BigInt64Array / BigUint64Array so that no integer is silently rounded.
 */

export type DType =
  | 'float32'
  | 'float64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool'
  | 'string';

export type NumericArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array;
export type BigIntArray = BigInt64Array | BigUint64Array;
export type TensorData = NumericArray | BigIntArray | string[];

export interface DataByDType {
  float32: Float32Array;
  float64: Float64Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  int64: BigInt64Array;
  uint8: Uint8Array;
  uint16: Uint16Array;
  uint32: Uint32Array;
  uint64: BigUint64Array;
  bool: Uint8Array;
  string: string[];
}

type TypedArrayConstructor = { new (length: number): NumericArray | BigIntArray; BYTES_PER_ELEMENT: number };

const ARRAY_TYPES: Record<Exclude<DType, 'string'>, TypedArrayConstructor> = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
};

/**
 * The most elements one tensor may hold (2^28: 1 GiB of float32, far beyond a Worker's 128 MB).
 * Larger shapes are refused with a clear error instead of failing inside a typed-array constructor.
 */
export const MAX_TENSOR_ELEMENTS = 2 ** 28;

export const DTYPES: readonly DType[] = [...Object.keys(ARRAY_TYPES), 'string'] as DType[];

export function isBigIntDType(dtype: DType): dtype is 'int64' | 'uint64' {
  return dtype === 'int64' || dtype === 'uint64';
}
export function isFloatDType(dtype: DType): dtype is 'float32' | 'float64' {
  return dtype === 'float32' || dtype === 'float64';
}
export function isIntegerDType(dtype: DType): boolean {
  return dtype !== 'bool' && dtype !== 'string' && !isFloatDType(dtype);
}

/** Bytes per element; 0 for strings. */
export function bytesPerElement(dtype: DType): number {
  return dtype === 'string' ? 0 : ARRAY_TYPES[dtype].BYTES_PER_ELEMENT;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  // indexed, not for-of: an iterator per call would allocate on every inference
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** The product of `shape[from, to)` (1 when empty): sizeOf of a slice without making the slice. */
export function sizeBetween(shape: readonly number[], from: number, to: number = shape.length): number {
  let n = 1;
  for (let i = Math.max(0, from); i < to && i < shape.length; i++) n *= shape[i];
  return n;
}

export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** `data[start, end)` as a view; the array itself when that is all of it (no view object made). */
export function span<T extends NumericArray>(data: T, start: number, end: number): T {
  return start === 0 && end === data.length ? data : (data.subarray(start, end) as T);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function allocateData<D extends DType>(dtype: D, size: number): DataByDType[D] {
  if (dtype === 'string') return new Array<string>(size).fill('') as DataByDType[D];
  return new ARRAY_TYPES[dtype as Exclude<DType, 'string'>](size) as DataByDType[D];
}

/** A typed-array view of `byteLength` bytes at `byteOffset` of `buffer`, without copying. */
export function viewData(dtype: Exclude<DType, 'string'>, buffer: ArrayBufferLike, byteOffset: number, length: number): NumericArray | BigIntArray {
  const Ctor = ARRAY_TYPES[dtype] as unknown as new (b: ArrayBufferLike, o: number, l: number) => NumericArray | BigIntArray;
  return new Ctor(buffer, byteOffset, length);
}

export class Tensor<D extends DType = DType> {
  constructor(
    readonly dtype: D,
    readonly shape: readonly number[],
    readonly data: DataByDType[D],
  ) {}

  static zeros<D extends DType>(dtype: D, shape: readonly number[]): Tensor<D> {
    return new Tensor(dtype, shape, allocateData(dtype, sizeOf(shape)));
  }

  /** A tensor from plain values; numbers are converted to bigint for int64/uint64. */
  static from<D extends DType>(dtype: D, shape: readonly number[], values: ArrayLike<number | bigint | string | boolean>): Tensor<D> {
    const data = allocateData(dtype, values.length) as unknown as { [i: number]: unknown; length: number };
    const big = isBigIntDType(dtype);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      data[i] = big ? BigInt(v as number | bigint) : dtype === 'string' ? String(v) : Number(v);
    }
    if (data.length !== sizeOf(shape)) {
      throw new RangeError(`Tensor.from: ${values.length} values do not fill shape [${shape.join(', ')}]`);
    }
    return new Tensor(dtype, shape, data as unknown as DataByDType[D]);
  }

  get size(): number {
    return this.data.length;
  }
  get rank(): number {
    return this.shape.length;
  }

  /** Same data, another shape of the same size (no copy). */
  reshape(shape: readonly number[]): Tensor<D> {
    if (sizeOf(shape) !== this.data.length) {
      throw new RangeError(`cannot view ${this.data.length} elements as shape [${shape.join(', ')}]`);
    }
    return new Tensor(this.dtype, shape, this.data);
  }

  /** A copy whose data owns its own buffer. */
  clone(): Tensor<D> {
    return new Tensor(this.dtype, this.shape.slice(), this.data.slice() as DataByDType[D]);
  }

  /** Element i as a JavaScript number (bigint converted, bool as 0/1). Not for hot loops. */
  number(i: number): number {
    return Number(this.data[i]);
  }
}

/**
 * The output of ONNX ZipMap: a [N, C] float tensor whose rows are presented to clients as maps
 * from class label to probability (the per-class probability objects of scikit-learn exports).
 */
export class MapRowsTensor extends Tensor<'float32'> {
  constructor(
    shape: readonly number[],
    data: Float32Array,
    readonly keys: readonly (string | number)[],
  ) {
    super('float32', shape, data);
  }

  override clone(): MapRowsTensor {
    return new MapRowsTensor(this.shape.slice(), this.data.slice(), this.keys);
  }
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Round a number to the nearest float16 value (ties to even), returned as a JS number. */
export function roundToFloat16(x: number): number {
  return float16BitsToNumber(numberToFloat16Bits(x));
}

export function float16BitsToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

export function numberToFloat16Bits(x: number): number {
  f32[0] = x;
  const bits = u32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}
