/**
 * ai.onnx.ml FeatureVectorizer: concatenates the inputs' feature columns into one float row per
 * example. Input k contributes inputdimensions[k] columns: extra columns are dropped and missing
 * ones are zero, as in onnxruntime. An input of rank 1 is one example; higher ranks are
 * [N, ...] with the trailing dimensions flattened.
 */
import { kernel, kernelFail } from '../../kernel';
import { sizeOf } from '../../tensor';
import { numbersOf } from './input-rows';

interface FeatureVectorizerAttrs {
  readonly dimensions: readonly number[];
  readonly total: number;
}

export const featureVectorizerKernel = kernel<FeatureVectorizerAttrs>({
  op: 'FeatureVectorizer',
  domain: 'ai.onnx.ml',
  attributes(attrs) {
    const dimensions = attrs.ints('inputdimensions', [] as number[]);
    if (dimensions.some((d) => d < 0)) attrs.fail('inputdimensions has a negative size');
    if (dimensions.length !== attrs.node.inputs.length) {
      attrs.fail(`inputdimensions has ${dimensions.length} entries but the node has ${attrs.node.inputs.length} inputs; give one size per input`);
    }
    return { dimensions, total: dimensions.reduce((s, d) => s + d, 0) };
  },
  run(inputs, a, ctx) {
    if (inputs.length === 0 || !inputs[0]) kernelFail(ctx, 'at least one input is required');
    const first = inputs[0];
    const n = first.rank <= 1 ? 1 : first.shape[0];
    const y = ctx.output(0, 'float32', [n, a.total]);
    y.data.fill(0);
    let offset = 0;
    for (let k = 0; k < a.dimensions.length; k++) {
      const x = inputs[k];
      if (!x) kernelFail(ctx, `input ${k} is missing`);
      const rows = x.rank <= 1 ? 1 : x.shape[0];
      if (rows !== n) kernelFail(ctx, `input ${k} has ${rows} rows but input 0 has ${n}; all inputs must have the same batch size`);
      const width = x.rank <= 1 ? x.size : sizeOf(x.shape.slice(1));
      const take = Math.min(width, a.dimensions[k]);
      const data = numbersOf(x, ctx);
      for (let r = 0; r < n; r++) {
        const src = r * width;
        const dst = r * a.total + offset;
        for (let j = 0; j < take; j++) y.data[dst + j] = data[src + j];
      }
      offset += a.dimensions[k];
    }
    return y;
  },
});
