/**
 * ai.onnx.ml ZipMap: turns [N, C] class scores into N maps {label: score}. The runtime carries
 * them as a MapRowsTensor: the same float32 data (no copy) plus the class labels as keys; the HTTP
 * layer renders each row as an object.
 */
import { kernel, kernelFail, required } from '../../kernel';
import { MapRowsTensor, type Tensor } from '../../tensor';
import { readLabelLists } from './label-lists';

interface ZipMapPlan {
  readonly shape: readonly number[];
  /** the last result and the scores it reads: the same again while the producer's buffer is the same */
  lastInput: Tensor | null;
  lastResult: MapRowsTensor | null;
}

export const zipMapKernel = kernel<{ keys: readonly (string | number)[] }, ZipMapPlan>({
  op: 'ZipMap',
  domain: 'ai.onnx.ml',
  attributes(attrs) {
    const { strings, ints } = readLabelLists(attrs, 'classlabels_strings', 'classlabels_int64s', 'class labels');
    return { keys: strings.length ? strings : ints };
  },
  plan(inputs, a, ctx) {
    const x = required(inputs, 0, ctx);
    const rank = x.shape.length;
    if (x.dtype !== 'float32') kernelFail(ctx, `input must be float, got ${x.dtype}`);
    if (rank === 0 || rank > 2) kernelFail(ctx, `input must be 1-D or 2-D, got shape [${x.shape.join(', ')}]`);
    const c = x.shape[rank - 1];
    if (c !== a.keys.length) kernelFail(ctx, `input has ${c} scores per row but there are ${a.keys.length} class labels`);
    return { shape: [rank === 1 ? 1 : x.shape[0], c], lastInput: null, lastResult: null };
  },
  run(inputs, a, _ctx, plan) {
    const x = inputs[0]!;
    if (plan.lastInput === x && plan.lastResult !== null) return plan.lastResult;
    const result = new MapRowsTensor(plan.shape, x.data as Float32Array, a.keys);
    plan.lastInput = x;
    plan.lastResult = result;
    return result;
  },
});
