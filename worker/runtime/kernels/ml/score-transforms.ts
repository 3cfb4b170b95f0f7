/**
 * Score post-transforms shared by the ai.onnx.ml classifiers and regressors (NONE, LOGISTIC,
 * SOFTMAX, SOFTMAX_ZERO, PROBIT), computed the way onnxruntime does so that probabilities and
 * labels agree with it, including its binary-classifier conventions.
 */
import type { AttributeReader } from '../../kernel';

export type PostTransform = 'NONE' | 'LOGISTIC' | 'SOFTMAX' | 'SOFTMAX_ZERO' | 'PROBIT';
export const POST_TRANSFORMS: readonly PostTransform[] = ['NONE', 'LOGISTIC', 'SOFTMAX', 'SOFTMAX_ZERO', 'PROBIT'];

export function readPostTransform(attrs: AttributeReader): PostTransform {
  return attrs.oneOf('post_transform', POST_TRANSFORMS, 'NONE');
}

export function logistic(x: number): number {
  const v = 1 / (1 + Math.exp(-Math.abs(x)));
  return x < 0 ? 1 - v : v;
}

const f = Math.fround;
const PI_F = f(Math.PI);
const A_F = f(0.147);
const SQRT2_F = f(Math.SQRT2);

/**
 * Inverse error function: the closed-form approximation onnxruntime uses (Winitzki, a = 0.147),
 * evaluated step by step in float32 as onnxruntime does; the formula cancels badly near 0, so the
 * rounding of each step shows in the result.
 */
function erfInv(x: number): number {
  const sgn = x < 0 ? -1 : 1;
  const y = f(f(1 - x) * f(1 + x));
  const log = f(Math.log(y));
  const v = f(f(2 / f(PI_F * A_F)) + f(0.5 * log));
  const v2 = f(f(1 / A_F) * log);
  const v3 = f(-v + f(Math.sqrt(f(f(v * v) - v2))));
  return sgn * f(Math.sqrt(v3));
}

export function probit(x: number): number {
  return f(SQRT2_F * erfInv(f(f(2 * x) - 1)));
}

/** Softmax in place over values[start, start + n). */
export function softmaxInPlace(values: Float32Array | Float64Array, start: number, n: number): void {
  let max = -Infinity;
  for (let i = start; i < start + n; i++) if (values[i] > max) max = values[i];
  let sum = 0;
  for (let i = start; i < start + n; i++) {
    const e = Math.exp(values[i] - max);
    values[i] = e;
    sum += e;
  }
  for (let i = start; i < start + n; i++) values[i] /= sum;
}

/** Softmax that leaves (near-)zero scores at zero: they stand for "no vote", not for exp(0). */
export function softmaxZeroInPlace(values: Float32Array | Float64Array, start: number, n: number): void {
  let max = -Infinity;
  for (let i = start; i < start + n; i++) if (values[i] > max) max = values[i];
  const expNegMax = Math.exp(-max);
  let sum = 0;
  for (let i = start; i < start + n; i++) {
    const v = values[i];
    if (v > 1e-7 || v < -1e-7) {
      const e = Math.exp(v - max);
      values[i] = e;
      sum += e;
    } else {
      values[i] = v * expNegMax;
    }
  }
  for (let i = start; i < start + n; i++) values[i] /= sum;
}

/** Applies a transform to one row of n >= 2 scores in place. */
export function transformRow(values: Float32Array | Float64Array, start: number, n: number, transform: PostTransform): void {
  switch (transform) {
    case 'NONE':
      return;
    case 'LOGISTIC':
      for (let i = start; i < start + n; i++) values[i] = logistic(values[i]);
      return;
    case 'PROBIT':
      for (let i = start; i < start + n; i++) values[i] = probit(values[i]);
      return;
    case 'SOFTMAX':
      softmaxInPlace(values, start, n);
      return;
    case 'SOFTMAX_ZERO':
      softmaxZeroInPlace(values, start, n);
      return;
  }
}
