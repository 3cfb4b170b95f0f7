/**
 * Upsample (opset 7-9, deprecated in 10): Resize-10 under its older name, so it runs the Resize
 * kernel (tensor/resize.ts) with opset-10 semantics: nearest or linear, asymmetric coordinates,
 * nearest picks floor(x / scale). Opset 7 gives the scales as an attribute, opset 9 as input 1.
 * Every scale must be >= 1 (Upsample only enlarges; Resize downsamples).
 */
import { kernel, kernelFail, required } from '../../kernel';
import { Tensor } from '../../tensor';
import type { ResizeAttributes } from '../tensor/resize';
import { parseResizeAttributes, resizeKernel } from '../tensor/resize';

interface UpsampleAttributes {
  readonly resize: ResizeAttributes;
  /** opset 7-8: the scales attribute as the tensor Resize-10 takes */
  readonly scales: Tensor<'float32'> | undefined;
}

export const upsampleKernel = kernel<UpsampleAttributes>({
  op: 'Upsample',
  attributes: (a, opset) => {
    const resize = parseResizeAttributes(a, 10);
    if (opset >= 9) return { resize, scales: undefined };
    const values = a.floats('scales');
    if (values.some((s) => !(s >= 1))) a.fail(`attribute "scales" [${values.join(', ')}] must all be >= 1; use Resize to downsample`);
    return { resize, scales: Tensor.from('float32', [values.length], values) };
  },
  run(inputs, { resize, scales }, ctx) {
    const x = required(inputs, 0, ctx);
    const s = scales ?? required(inputs, 1, ctx);
    if (s.dtype !== 'float32' && s.dtype !== 'float64') kernelFail(ctx, `scales must be float, got ${s.dtype}`);
    if (s.rank !== 1 || s.size !== x.rank) kernelFail(ctx, `scales must hold one value per input axis (${x.rank}), got shape [${s.shape.join(', ')}]`);
    for (let i = 0; i < s.size; i++) {
      const v = Number(s.data[i]);
      if (!(v >= 1)) kernelFail(ctx, `scales[${i}] is ${v}; Upsample scales must be >= 1 (use Resize to downsample)`);
    }
    return resizeKernel.run([x, s], resize, ctx, undefined);
  },
});
