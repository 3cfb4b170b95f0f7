/**
 * Runtime Tensor -> JSON values. float32 values are written with the fewest digits that read back
 * as the same float32 (0.1, not 0.10000000149011612), as other KServe servers do; float64 as the
 * numbers they hold. NaN and Infinity, which JSON cannot carry, become null (binary outputs carry
 * them exactly). int64/uint64 become numbers (exact up to 2^53); bool becomes true/false.
 * For V1, ZipMap outputs (MapRowsTensor) become one {label: probability} object per row; V2 writes
 * their scores as numbers (see zipmap-labels.ts).
 */
import { MapRowsTensor, type Tensor } from '../runtime/tensor';

export type JsonValue = number | string | boolean | null | JsonValue[] | { [k: string]: number | null };

/** The tensor's elements, flat and row-major; ZipMap rows as objects (V1). */
export function flatJson(t: Tensor): JsonValue[] {
  return t instanceof MapRowsTensor ? mapRows(t) : flatNumbersJson(t);
}

/** The tensor's elements, flat and row-major; a ZipMap output as its scores. */
export function flatNumbersJson(t: Tensor): JsonValue[] {
  const data = t.data as ArrayLike<number | bigint | string>;
  const out = new Array<JsonValue>(data.length);
  switch (t.dtype) {
    case 'bool':
      for (let i = 0; i < data.length; i++) out[i] = data[i] !== 0;
      break;
    case 'string':
      for (let i = 0; i < data.length; i++) out[i] = data[i] as string;
      break;
    case 'int64':
    case 'uint64':
      for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
      break;
    case 'float32':
      for (let i = 0; i < data.length; i++) out[i] = float32Json(data[i] as number);
      break;
    default:
      for (let i = 0; i < data.length; i++) {
        const v = data[i] as number;
        out[i] = Number.isFinite(v) ? v : null;
      }
  }
  return out;
}

/** The shortest decimal that parses back to the same float32; null for NaN and infinities. */
export function float32Json(v: number): number | null {
  if (!Number.isFinite(v)) return null;
  if (Number.isInteger(v)) return v;
  for (let digits = 6; digits < 9; digits++) {
    const candidate = Number(v.toPrecision(digits));
    if (Math.fround(candidate) === v) return candidate;
  }
  return Number(v.toPrecision(9));
}

/** The shape clients see: a ZipMap output is a vector of row objects. */
export function jsonShape(t: Tensor): number[] {
  if (t instanceof MapRowsTensor) return [mapRowCount(t)];
  return t.shape.slice();
}

function mapRowCount(t: MapRowsTensor): number {
  return t.keys.length === 0 ? 0 : Math.floor(t.data.length / t.keys.length);
}

function mapRows(t: MapRowsTensor): JsonValue[] {
  const rows = mapRowCount(t);
  const c = t.keys.length;
  const out: JsonValue[] = [];
  for (let r = 0; r < rows; r++) {
    const row: { [k: string]: number | null } = {};
    for (let k = 0; k < c; k++) {
      row[String(t.keys[k])] = float32Json(t.data[r * c + k]);
    }
    out.push(row);
  }
  return out;
}

/** Nests flat row-major values into arrays of `shape` (a scalar for shape []). */
export function nest(flat: readonly JsonValue[], shape: readonly number[], offset = 0): JsonValue {
  if (shape.length === 0) return flat[offset];
  const [n, ...rest] = shape;
  const step = rest.reduce((a, b) => a * b, 1);
  const out: JsonValue[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = nest(flat, rest, offset + i * step);
  return out;
}
