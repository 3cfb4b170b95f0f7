/**
 * ai.onnx.ml ZipMap: turns [N, C] class scores into N maps {label: score}. The runtime carries
 * them as a MapRowsTensor: the same float32 data (no copy) plus the class labels as keys; the HTTP
 * layer renders each row as an object.
 */
import { kernel, kernelFail, required } from '../../kernel';
import { MapRowsTensor } from '../../tensor';
import { keepShape2 } from '../output-shape';

export const zipMap = kernel<{ keys: readonly (string | number)[] }>({
  op: 'ZipMap',
  domain: 'ai.onnx.ml',
  attributes(attrs) {
    const strings = attrs.strings('classlabels_strings', [] as string[]);
    const ints = attrs.ints('classlabels_int64s', [] as number[]);
    if (strings.length && ints.length) attrs.fail('set only one of classlabels_strings and classlabels_int64s');
    if (!strings.length && !ints.length) attrs.fail('class labels are missing: set classlabels_strings or classlabels_int64s');
    return { keys: strings.length ? strings : ints };
  },
  run(inputs, a, ctx) {
    const x = required(inputs, 0, ctx);
    if (x.dtype !== 'float32') kernelFail(ctx, `input must be float, got ${x.dtype}`);
    if (x.rank === 0 || x.rank > 2) kernelFail(ctx, `input must be 1-D or 2-D, got shape [${x.shape.join(', ')}]`);
    const c = x.shape[x.rank - 1];
    if (c !== a.keys.length) kernelFail(ctx, `input has ${c} scores per row but there are ${a.keys.length} class labels`);
    const n = x.rank === 1 ? 1 : x.shape[0];
    return [new MapRowsTensor(keepShape2(ctx, 0, n, c), x.data as Float32Array, a.keys)];
  },
});
