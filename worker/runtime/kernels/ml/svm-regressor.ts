/**
 * ai.onnx.ml SVMRegressor, as scikit-learn's SVR / NuSVR / OneClassSVM export it:
 * y = sum_j coef_j * K(x, sv_j) + rho[0] (n_supports > 0), or x·coef + rho[0] (linear mode);
 * one_class = 1 turns y into its sign (+1 / -1). Output [N, 1].
 *
 * post_transform is read and validated but, as in onnxruntime, not applied: a single regression
 * score has no transform that exporters use, and matching onnxruntime is what users check.
 */
import { kernel, kernelFail, required } from '../../kernel';
import { rowsOfMatrix } from './input-rows';
import { readPostTransform } from './score-transforms';
import { float32s, kernelRows, readSvmKernel, type SvmKernel } from './svm-common';

interface SvmRegressorAttrs {
  readonly kernel: SvmKernel;
  readonly vectorCount: number;
  readonly features: number;
  readonly supportVectors: Float32Array;
  readonly coefficients: Float32Array;
  readonly rho: number;
  readonly oneClass: boolean;
}

export const svmRegressorKernel = kernel<SvmRegressorAttrs>({
  op: 'SVMRegressor',
  domain: 'ai.onnx.ml',
  attributes(attrs) {
    const coefficients = float32s(attrs, 'coefficients');
    if (coefficients.length === 0) attrs.fail('coefficients is empty');
    const rho = float32s(attrs, 'rho');
    if (rho.length === 0) attrs.fail('rho is empty');
    const vectorCount = attrs.int('n_supports', 0);
    if (vectorCount < 0) attrs.fail(`n_supports is ${vectorCount}; it must be 0 (linear) or the number of support vectors`);
    const oneClass = attrs.int('one_class', 0);
    if (oneClass !== 0 && oneClass !== 1) attrs.fail(`one_class is ${oneClass}; use 0 or 1`);
    readPostTransform(attrs);
    const supportVectors = float32s(attrs, 'support_vectors', []);
    const kernelParams = readSvmKernel(attrs);
    if (vectorCount > 0) {
      if (supportVectors.length === 0 || supportVectors.length % vectorCount !== 0) {
        attrs.fail(`support_vectors has ${supportVectors.length} values, not a positive multiple of n_supports (${vectorCount})`);
      }
      if (coefficients.length !== vectorCount) attrs.fail(`coefficients has ${coefficients.length} values but n_supports is ${vectorCount}`);
      return { kernel: kernelParams, vectorCount, features: supportVectors.length / vectorCount, supportVectors, coefficients, rho: rho[0], oneClass: oneClass === 1 };
    }
    const linear: SvmKernel = { type: 'LINEAR', gamma: 0, coef0: 0, degree: 0 };
    return { kernel: linear, vectorCount: 0, features: coefficients.length, supportVectors, coefficients, rho: rho[0], oneClass: oneClass === 1 };
  },
  run(inputs, a, ctx) {
    const { data, n, c } = rowsOfMatrix(required(inputs, 0, ctx), ctx);
    if (c !== a.features) kernelFail(ctx, `the input has ${c} features per row but the model expects ${a.features}`);
    const y = ctx.output(0, 'float32', [n, 1]);
    if (a.vectorCount > 0) {
      const kernels = new Float32Array(n * a.vectorCount);
      kernelRows(a.kernel, data, n, c, a.supportVectors, a.vectorCount, 0, kernels);
      for (let row = 0; row < n; row++) {
        let s = 0;
        const o = row * a.vectorCount;
        for (let j = 0; j < a.vectorCount; j++) s += kernels[o + j] * a.coefficients[j];
        y.data[row] = s + a.rho;
      }
    } else {
      kernelRows(a.kernel, data, n, c, a.coefficients, 1, a.rho, y.data);
    }
    if (a.oneClass) for (let row = 0; row < n; row++) y.data[row] = y.data[row] > 0 ? 1 : -1;
    return y;
  },
});
