/**
 * Upsample (opset 7-9, deprecated in 10): Resize-10 under its older name, so it runs the Resize
 * kernel (tensor/resize.ts) with opset-10 semantics: nearest or linear, asymmetric coordinates,
 * nearest picks floor(x / scale). Opset 7 gives the scales as an attribute, opset 9 as input 1.
 * Every scale must be >= 1 (Upsample only enlarges; Resize downsamples). It plans as Resize does.
 */
import { kernel, kernelFail, required, type PlanContext, type PlanInput } from '../../kernel';
import { Tensor } from '../../tensor';
import type { ResizeAttributes, ResizeNodePlan } from '../tensor/resize';
import { parseResizeAttributes, resizeKernel } from '../tensor/resize';

interface UpsampleAttributes {
  readonly resize: ResizeAttributes;
  /** opset 7-8: the scales attribute as the tensor Resize-10 takes */
  readonly scales: Tensor<'float32'> | undefined;
}

export const upsampleKernel = kernel<UpsampleAttributes, ResizeNodePlan>({
  op: 'Upsample',
  attributes: (a, opset) => {
    const resize = parseResizeAttributes(a, 10);
    if (opset >= 9) return { resize, scales: undefined };
    const values = a.floats('scales');
    if (values.some((s) => !(s >= 1))) a.fail(`attribute "scales" [${values.join(', ')}] must all be >= 1; use Resize to downsample`);
    return { resize, scales: Tensor.from('float32', [values.length], values) };
  },
  plan(inputs, { resize, scales }, ctx) {
    const x = required(inputs, 0, ctx);
    const s: PlanInput = scales ? { dtype: scales.dtype, shape: scales.shape, value: scales } : required(inputs, 1, ctx);
    expectScales(x.shape.length, s, ctx);
    if (s.value) expectEnlarging(s.value, ctx);
    return resizeKernel.plan!([x, s], resize, ctx, undefined)!;
  },
  outputs: (plan, inputs, { resize }) => resizeKernel.outputs!(plan, inputs, resize),
  run(inputs, { resize, scales }, ctx, plan) {
    const x = inputs[0]!;
    const s = scales ?? inputs[1]!;
    // scales known to the plan were checked there
    if (plan.resize === null) expectEnlarging(s, ctx);
    return resizeKernel.run([x, s], resize, ctx, plan);
  },
});

function expectScales(rank: number, s: PlanInput, ctx: Pick<PlanContext, 'node'>): void {
  if (s.dtype !== 'float32' && s.dtype !== 'float64') kernelFail(ctx, `scales must be float, got ${s.dtype}`);
  if (s.shape.length !== 1 || s.shape[0] !== rank) kernelFail(ctx, `scales must hold one value per input axis (${rank}), got shape [${s.shape.join(', ')}]`);
}

function expectEnlarging(s: Tensor, ctx: Pick<PlanContext, 'node'>): void {
  for (let i = 0; i < s.size; i++) {
    const v = Number(s.data[i]);
    if (!(v >= 1)) kernelFail(ctx, `scales[${i}] is ${v}; Upsample scales must be >= 1 (use Resize to downsample)`);
  }
}
