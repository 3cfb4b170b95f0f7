/**
 * ONNX (numpy-style) multidirectional broadcasting.
 */
export function broadcastShapes(...shapes: ReadonlyArray<readonly number[]>): number[] | null {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i];
      if (out[o] === 1) out[o] = d;
      else if (d !== 1 && d !== out[o]) return null;
    }
  }
  return out;
}

/**
 * Strides to read a tensor of `shape` as if it had `outShape`: 0 along broadcast dimensions.
 * The result has outShape.length entries.
 */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const o = rank - shape.length + i;
    strides[o] = shape[i] === 1 && outShape[o] !== 1 ? 0 : s;
    s *= shape[i];
  }
  return strides;
}

/**
 * For every output element (row-major order) the flat index into each input. Used by n-ary ops
 * that are not on a hot path; binary kernels use their own specialised loops.
 */
export function broadcastIndex(shapes: ReadonlyArray<readonly number[]>, outShape: readonly number[]): Int32Array[] {
  const size = outShape.reduce((a, b) => a * b, 1);
  const rank = outShape.length;
  const all = shapes.map((s) => broadcastStrides(s, outShape));
  const result = shapes.map(() => new Int32Array(size));
  const counter = new Array<number>(rank).fill(0);
  const offsets = new Array<number>(shapes.length).fill(0);
  for (let i = 0; i < size; i++) {
    for (let k = 0; k < shapes.length; k++) result[k][i] = offsets[k];
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      for (let k = 0; k < shapes.length; k++) offsets[k] += all[k][d];
      if (counter[d] < outShape[d]) break;
      for (let k = 0; k < shapes.length; k++) offsets[k] -= all[k][d] * outShape[d];
      counter[d] = 0;
    }
  }
  return result;
}
