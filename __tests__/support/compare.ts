/** Assertions comparing this runtime's outputs with onnxruntime's. */
import { MapRowsTensor, type Tensor } from '../../worker/runtime/tensor';
import type { OrtValue } from './ort-oracle';

export interface Tolerance {
  atol: number;
  rtol: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { atol: 1e-5, rtol: 1e-4 };

/** Throws with the first mismatching element, so a failure says where and by how much. */
export function expectSameAsOrt(name: string, ours: Tensor | undefined, theirs: OrtValue | undefined, tol = DEFAULT_TOLERANCE): void {
  if (!ours) throw new Error(`${name}: our runtime produced no output`);
  if (!theirs) throw new Error(`${name}: onnxruntime produced no output`);
  if (Array.isArray(theirs)) {
    if (!(ours instanceof MapRowsTensor)) throw new Error(`${name}: onnxruntime returned maps, ours is a ${ours.dtype} tensor`);
    const c = ours.keys.length;
    if (theirs.length !== ours.shape[0]) throw new Error(`${name}: ${theirs.length} rows from onnxruntime, ${ours.shape[0]} from ours`);
    theirs.forEach((row, r) => {
      const keys = Object.keys(row instanceof Map ? Object.fromEntries(row) : row);
      if (keys.length !== c) throw new Error(`${name}[${r}]: ${keys.length} keys from onnxruntime, ${c} from ours`);
      ours.keys.forEach((k, j) => {
        const expected = row instanceof Map ? (row as Map<unknown, number>).get(typeof k === 'number' ? BigInt(k) : k) ?? (row as Map<unknown, number>).get(k) : row[String(k)];
        checkNumber(`${name}[${r}][${String(k)}]`, ours.data[r * c + j], expected as number, tol);
      });
    });
    return;
  }
  const dims = [...theirs.dims].map(Number);
  if (dims.join(',') !== ours.shape.join(',')) {
    throw new Error(`${name}: shape [${ours.shape.join(', ')}] but onnxruntime gives [${dims.join(', ')}]`);
  }
  for (let i = 0; i < ours.size; i++) {
    const a = ours.data[i];
    const b = theirs.data[i];
    if (typeof a === 'number' && typeof b === 'number') checkNumber(`${name}[${i}]`, a, b, tol);
    else if (a !== b) throw new Error(`${name}[${i}]: ours ${String(a)}, onnxruntime ${String(b)}`);
  }
}

function checkNumber(where: string, a: number, b: number, tol: Tolerance): void {
  if (Number.isNaN(a) && Number.isNaN(b)) return;
  if (!(Math.abs(a - b) <= tol.atol + tol.rtol * Math.abs(b))) throw new Error(`${where}: ours ${a}, onnxruntime ${b}`);
}
