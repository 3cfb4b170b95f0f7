/**
 * ai.onnx.ml LinearClassifier and LinearRegressor: scores = X · coefficientsᵀ + intercepts, then
 * the post-transform. Binary classifiers with one coefficient row follow onnxruntime: the label is
 * the positive class when the score is > 0, and the two scores are [1 - s, s].
 */
import { kernel, kernelFail, required, type AttributeReader } from '../../kernel';
import { rowsOfMatrix } from './input-rows';
import { type PostTransform, probit, readPostTransform, transformRow } from './score-transforms';
import { readLabelLists } from './label-lists';

interface LinearAttrs {
  coefficients: Float64Array;
  intercepts: Float64Array;
  /** rows of coefficients: classes or targets */
  outputs: number;
  transform: PostTransform;
}

interface ClassifierAttrs extends LinearAttrs {
  labelsInt: BigInt64Array | null;
  labelsString: string[] | null;
  /** one score column expanded to two: [1 - s, s] */
  addSecondClass: boolean;
}

function readLinear(attrs: AttributeReader, outputs: number): LinearAttrs {
  const coefficients = Float64Array.from(attrs.floats('coefficients'));
  if (coefficients.length === 0) attrs.fail('coefficients is empty');
  const intercepts = Float64Array.from(attrs.floats('intercepts', [] as number[]));
  if (coefficients.length % outputs !== 0) {
    attrs.fail(`coefficients has ${coefficients.length} values, not a multiple of the ${outputs} classes/targets`);
  }
  if (intercepts.length && intercepts.length !== outputs) {
    attrs.fail(`intercepts has ${intercepts.length} values but there are ${outputs} classes/targets`);
  }
  return { coefficients, intercepts: intercepts.length ? intercepts : new Float64Array(outputs), outputs, transform: readPostTransform(attrs) };
}

/** Fills out[n, k] with X · Wᵀ + b. */
function linearScores(a: LinearAttrs, data: ArrayLike<number>, n: number, c: number, out: Float32Array, outStride: number): void {
  const k = a.outputs;
  const w = a.coefficients;
  for (let row = 0; row < n; row++) {
    const xo = row * c;
    for (let j = 0; j < k; j++) {
      let s = a.intercepts[j];
      const wo = j * c;
      for (let f = 0; f < c; f++) s += data[xo + f] * w[wo + f];
      out[row * outStride + j] = s;
    }
  }
}

function checkFeatures(a: LinearAttrs, c: number, ctx: Parameters<typeof kernelFail>[0]): void {
  if (a.coefficients.length !== a.outputs * c) {
    kernelFail(ctx, `the input has ${c} features per row but the model has ${a.coefficients.length / a.outputs} coefficients per class/target`);
  }
}

export const linearClassifierKernel = kernel<ClassifierAttrs>({
  op: 'LinearClassifier',
  domain: 'ai.onnx.ml',
  attributes(attrs) {
    const { strings, ints, count: labelCount } = readLabelLists(attrs, 'classlabels_strings', 'classlabels_ints', 'class labels');
    const intercepts = attrs.floats('intercepts', [] as number[]);
    const classes = intercepts.length || labelCount;
    const base = readLinear(attrs, classes);
    if (classes > 1 && classes !== labelCount) attrs.fail(`there are ${classes} coefficient rows but ${labelCount} class labels`);
    return {
      ...base,
      labelsInt: ints.length ? BigInt64Array.from(ints.map((v) => BigInt(v))) : null,
      labelsString: strings.length ? strings : null,
      addSecondClass: classes === 1 && labelCount === 2,
    };
  },
  run(inputs, a, ctx) {
    const { data, n, c } = rowsOfMatrix(required(inputs, 0, ctx), ctx);
    checkFeatures(a, c, ctx);
    const k = a.outputs;
    const width = a.addSecondClass ? 2 : k;
    const labels = a.labelsString ? ctx.output(0, 'string', [n]) : ctx.output(0, 'int64', [n]);
    const scores = ctx.output(1, 'float32', [n, width]);
    const z = scores.data;
    linearScores(a, data, n, c, z, width);
    for (let row = 0; row < n; row++) {
      const o = row * width;
      let cls: number;
      if (k === 1) cls = z[o] > 0 ? 1 : 0;
      else {
        cls = 0;
        for (let j = 1; j < k; j++) if (z[o + j] > z[o + cls]) cls = j;
      }
      if (a.labelsString) {
        const names = a.labelsString;
        (labels.data as string[])[row] = k === 1 && names.length !== 2 ? String(cls) : names[cls];
      } else {
        const ids = a.labelsInt!;
        (labels.data as BigInt64Array)[row] = k === 1 && ids.length !== 2 ? BigInt(cls) : ids[cls];
      }
      if (k > 1) transformRow(z, o, k, a.transform);
      else if (a.transform === 'PROBIT') z[o] = probit(z[o]);
      else if (a.addSecondClass) {
        const s = z[o];
        z[o] = 1 - s;
        z[o + 1] = s;
      }
    }
    return ctx.results(labels, scores);
  },
});

export const linearRegressorKernel = kernel<LinearAttrs>({
  op: 'LinearRegressor',
  domain: 'ai.onnx.ml',
  attributes(attrs) {
    const targets = attrs.int('targets', 1);
    if (targets < 1) attrs.fail(`targets is ${targets}; it must be at least 1`);
    return readLinear(attrs, targets);
  },
  run(inputs, a, ctx) {
    const { data, n, c } = rowsOfMatrix(required(inputs, 0, ctx), ctx);
    checkFeatures(a, c, ctx);
    const k = a.outputs;
    const y = ctx.output(0, 'float32', [n, k]);
    linearScores(a, data, n, c, y.data, k);
    if (a.transform !== 'NONE') {
      for (let row = 0; row < n; row++) {
        if (k > 1) transformRow(y.data, row * k, k, a.transform);
        else if (a.transform === 'PROBIT') y.data[row] = probit(y.data[row]);
      }
    }
    return y;
  },
});
