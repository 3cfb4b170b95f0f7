/**
 * JSON tensor data -> runtime Tensor: flat or nested row-major arrays, every datatype, with
 * errors that name the input and the element.
 */
import { Tensor, allocateData, roundToFloat16 } from '../runtime/tensor';
import type { DType } from '../runtime/tensor';
import { badRequest, quote } from './request-error';
import { DATATYPE_TO_DTYPE, type Datatype } from './datatypes';

const FLOAT32_MAX = 3.4028234663852886e38;
const FLOAT16_MAX = 65504;
const INT_RANGES: Partial<Record<Datatype, readonly [number, number]>> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  UINT8: [0, 255],
  UINT16: [0, 65535],
  UINT32: [0, 4294967295],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
};

/**
 * Checks a request shape: an array of non-negative integers whose product is at most
 * `maxElements`. Returns the element count.
 */
export function checkShape(shape: unknown, maxElements: number, where: string): number {
  if (!Array.isArray(shape)) throw badRequest(`${where}: "shape" must be an array of non-negative integers`);
  if (shape.length > 16) throw badRequest(`${where}: rank ${shape.length} is too large (at most 16 dimensions)`);
  let count = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw badRequest(`${where}: shape dimension ${quote(d)} is not a non-negative integer (-1 is only for model metadata; send the actual size)`);
    }
    count *= d;
    if (count > maxElements) {
      throw badRequest(`${where}: shape [${shape.join(', ')}] has more than the ${maxElements} elements allowed per tensor`);
    }
  }
  return count;
}

/**
 * Flattens `data` (flat, or nested exactly as `shape`) and converts each element to `datatype`.
 * `shape` must already have passed checkShape.
 */
export function readTensor(data: unknown, shape: readonly number[], datatype: Datatype, where: string): Tensor {
  const count = shape.reduce((a, b) => a * b, 1);
  const dtype = DATATYPE_TO_DTYPE[datatype];
  const out = allocateData(dtype, count) as unknown as { [i: number]: unknown };
  const write = elementWriter(datatype, dtype, out, where);
  if (!Array.isArray(data)) throw badRequest(`${where}: "data" must be an array (flat or nested row-major)`);

  const nested = data.length > 0 && Array.isArray(data[0]);
  if (!nested) {
    if (data.length !== count) {
      throw badRequest(`${where}: shape [${shape.join(', ')}] needs ${count} elements but "data" has ${data.length}`);
    }
    for (let i = 0; i < count; i++) write(i, data[i]);
  } else {
    let n = 0;
    // Iterative walk so that hostile nesting cannot exhaust the stack.
    const stack: Array<{ arr: unknown[]; depth: number; i: number }> = [{ arr: data, depth: 0, i: 0 }];
    if (shape.length === 0 || data.length !== shape[0]) throw nestedMismatch(where, shape, [], data.length);
    const path: number[] = [0];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.i >= top.arr.length) {
        stack.pop();
        path.pop();
        continue;
      }
      const v = top.arr[top.i];
      path[path.length - 1] = top.i;
      top.i++;
      if (top.depth === shape.length - 1) {
        if (Array.isArray(v)) throw badRequest(`${where}: data${index(path)} is nested deeper than shape [${shape.join(', ')}]`);
        write(n++, v);
      } else {
        if (!Array.isArray(v)) throw badRequest(`${where}: data${index(path)} should be an array of ${shape[top.depth + 1]} (shape [${shape.join(', ')}])`);
        if (v.length !== shape[top.depth + 1]) throw nestedMismatch(where, shape, path, v.length);
        stack.push({ arr: v, depth: top.depth + 1, i: 0 });
        path.push(0);
      }
    }
  }
  return new Tensor(dtype, shape.slice(), out as never);
}

function index(path: readonly number[]): string {
  return path.map((i) => `[${i}]`).join('');
}

function nestedMismatch(where: string, shape: readonly number[], path: readonly number[], length: number) {
  const dim = path.length;
  return badRequest(`${where}: data${index(path)} has ${length} entries but shape [${shape.join(', ')}] needs ${shape[dim] ?? 'a scalar'} at dimension ${dim}`);
}

type Writer = (i: number, v: unknown) => void;

function elementWriter(datatype: Datatype, dtype: DType, out: { [i: number]: unknown }, where: string): Writer {
  const bad = (i: number, v: unknown, expected: string) =>
    badRequest(`${where}: element ${i} is ${quote(v, 24)}, expected ${expected} for datatype ${datatype}`);
  switch (datatype) {
    case 'BOOL':
      return (i, v) => {
        if (typeof v !== 'boolean') throw bad(i, v, 'true or false');
        out[i] = v ? 1 : 0;
      };
    case 'BYTES':
      return (i, v) => {
        if (typeof v !== 'string') throw bad(i, v, 'a string');
        out[i] = v;
      };
    case 'FP16':
    case 'FP32':
    case 'FP64': {
      const max = datatype === 'FP16' ? FLOAT16_MAX : datatype === 'FP32' ? FLOAT32_MAX : Number.MAX_VALUE;
      const half = datatype === 'FP16';
      return (i, v) => {
        if (typeof v !== 'number') throw bad(i, v, 'a finite number (NaN and Infinity are not accepted)');
        if (!Number.isFinite(v) || Math.abs(v) > max) throw bad(i, v, `a finite number within ±${max}`);
        out[i] = half ? roundToFloat16(v) : v;
      };
    }
    default: {
      const [lo, hi] = INT_RANGES[datatype]!;
      const big = dtype === 'int64' || dtype === 'uint64';
      return (i, v) => {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
          throw bad(i, v, `an integer in [${lo}, ${hi}]`);
        }
        out[i] = big ? BigInt(v) : v;
      };
    }
  }
}
