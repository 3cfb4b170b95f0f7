/**
 * What SVMClassifier and SVMRegressor share: the kernel function (LINEAR, POLY, RBF, SIGMOID with
 * kernel_params [gamma, coef0, degree]) evaluated between input rows and support vectors.
 *
 * onnxruntime computes in float32 (inputs of other types are cast to float first); values are
 * rounded to float32 at the same points here so that labels decided by a sign agree with it.
 */
import type { AttributeReader } from '../../kernel';

export type SvmKernelType = 'LINEAR' | 'POLY' | 'RBF' | 'SIGMOID';
export const SVM_KERNEL_TYPES: readonly SvmKernelType[] = ['LINEAR', 'POLY', 'RBF', 'SIGMOID'];

export interface SvmKernel {
  readonly type: SvmKernelType;
  readonly gamma: number;
  readonly coef0: number;
  readonly degree: number;
}

const f = Math.fround;

export function readSvmKernel(attrs: AttributeReader): SvmKernel {
  const type = attrs.oneOf('kernel_type', SVM_KERNEL_TYPES, 'LINEAR');
  const params = attrs.floats('kernel_params', [] as number[]);
  if (params.length !== 0 && params.length !== 3) {
    attrs.fail(`kernel_params has ${params.length} values; it must be [gamma, coef0, degree]`);
  }
  const [gamma, coef0, degree] = params.length ? params.map(f) : [0, 0, 0];
  return { type, gamma, coef0, degree };
}

/** Reads a float list attribute rounded to float32, as onnxruntime stores it. */
export function float32s(attrs: AttributeReader, name: string, fallback?: number[]): Float32Array {
  const v = fallback === undefined ? attrs.floats(name) : attrs.floats(name, fallback);
  return Float32Array.from(v);
}

/**
 * out[r * m + j] = K(x_r, w_j) for n rows of x (c features) and m rows of w. `bias` is added to
 * the LINEAR dot product (the liblinear mode's rho), like the C term of onnxruntime's GEMM.
 */
export function kernelRows(
  k: SvmKernel, x: ArrayLike<number>, n: number, c: number, w: Float32Array, m: number, bias: number, out: Float32Array,
): void {
  for (let r = 0; r < n; r++) {
    const xo = r * c;
    for (let j = 0; j < m; j++) {
      const wo = j * c;
      let s = 0;
      let v: number;
      if (k.type === 'RBF') {
        for (let i = 0; i < c; i++) {
          const d = f(x[xo + i]) - w[wo + i];
          s += d * d;
        }
        v = Math.exp(-k.gamma * f(s));
      } else {
        for (let i = 0; i < c; i++) s += f(x[xo + i]) * w[wo + i];
        if (k.type === 'LINEAR') v = s + bias;
        else {
          const t = f(k.gamma * s + k.coef0);
          v = k.type === 'POLY' ? Math.pow(t, k.degree) : Math.tanh(t);
        }
      }
      out[r * m + j] = v;
    }
  }
}
