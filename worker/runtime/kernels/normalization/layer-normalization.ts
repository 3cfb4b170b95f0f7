/**
 * LayerNormalization (opset 17): each row of the trailing dims X.shape[axis:] is normalized,
 *   y = (x - mean) * invStdDev * Scale + B,   invStdDev = 1 / sqrt(var + epsilon)
 * Scale and B broadcast (right-aligned) over X.shape[axis:]. The optional outputs Mean and
 * InvStdDev have shape X.shape[:axis] + [1, ...] and the element type chosen by stash_type.
 */
import { kernel, kernelFail } from '../../kernel';
import { sizeOf, stridesOf, type Tensor } from '../../tensor';
import { floatInput, formatShape, type FloatTensor } from './inputs';

export interface LayerNormalizationAttributes {
  readonly axis: number;
  readonly epsilon: number;
  /** dtype of Mean and InvStdDev (stash_type 1 = float32, 11 = float64) */
  readonly stashDType: 'float32' | 'float64';
}

export const layerNormalization = kernel<LayerNormalizationAttributes>({
  op: 'LayerNormalization',
  attributes(attrs) {
    const epsilon = attrs.float('epsilon', 1e-5);
    if (!(epsilon >= 0)) attrs.fail(`attribute "epsilon" must be >= 0, got ${epsilon}`);
    const stash = attrs.int('stash_type', 1);
    if (stash !== 1 && stash !== 11) attrs.fail(`attribute "stash_type" is ${stash}; supported: 1 (float32), 11 (float64)`);
    return { axis: attrs.int('axis', -1), epsilon, stashDType: stash === 11 ? 'float64' : 'float32' };
  },
  run(inputs, attrs, ctx) {
    const x = floatInput(inputs, 0, 'X', ctx);
    const scale = floatInput(inputs, 1, 'Scale', ctx);
    const bias = inputs[2] ? floatInput(inputs, 2, 'B', ctx) : undefined;
    const rank = x.rank;
    if (attrs.axis < -rank || attrs.axis >= rank || rank === 0) {
      kernelFail(ctx, `attribute axis = ${attrs.axis} is out of range for X of shape ${formatShape(x.shape)} (allowed ${-rank}..${rank - 1})`);
    }
    const axis = attrs.axis < 0 ? attrs.axis + rank : attrs.axis;
    const normShape = x.shape.slice(axis);
    const outer = sizeOf(x.shape.slice(0, axis));
    const inner = sizeOf(normShape);
    const scaleIndex = broadcastIndex(scale, normShape, 'Scale', ctx);
    const biasIndex = bias ? broadcastIndex(bias, normShape, 'B', ctx) : null;

    const y = ctx.output(0, x.dtype, x.shape) as FloatTensor;
    const statShape = x.shape.map((d, i) => (i < axis ? d : 1));
    const wantMean = (ctx.node.outputs[1] ?? '') !== '';
    const wantInv = (ctx.node.outputs[2] ?? '') !== '';
    const meanOut = wantMean ? (ctx.output(1, attrs.stashDType, statShape) as FloatTensor) : undefined;
    const invOut = wantInv ? (ctx.output(2, attrs.stashDType, statShape) as FloatTensor) : undefined;

    const xd = x.data;
    const yd = y.data;
    const sd = scale.data;
    const bd = bias?.data;
    for (let r = 0; r < outer; r++) {
      const base = r * inner;
      let sum = 0;
      for (let i = 0; i < inner; i++) sum += xd[base + i];
      const mean = sum / inner;
      let sq = 0;
      for (let i = 0; i < inner; i++) {
        const d = xd[base + i] - mean;
        sq += d * d;
      }
      const inv = 1 / Math.sqrt(sq / inner + attrs.epsilon);
      if (scaleIndex === null && (bd === undefined || biasIndex === null)) {
        for (let i = 0; i < inner; i++) yd[base + i] = (xd[base + i] - mean) * inv * sd[i] + (bd ? bd[i] : 0);
      } else {
        for (let i = 0; i < inner; i++) {
          const s = sd[scaleIndex ? scaleIndex[i] : i];
          const b = bd ? bd[biasIndex ? biasIndex[i] : i] : 0;
          yd[base + i] = (xd[base + i] - mean) * inv * s + b;
        }
      }
      if (meanOut) meanOut.data[r] = mean;
      if (invOut) invOut.data[r] = inv;
    }
    // an omitted optional output still needs a slot in the list; the session ignores it
    const outputs: Tensor[] = [y];
    if (meanOut || invOut) outputs.push(meanOut ?? y, invOut ?? y);
    return outputs;
  },
});

/**
 * For a parameter that already has `target`'s size (the common case) returns null: index i maps
 * to element i. Otherwise checks right-aligned broadcasting and returns the element index for
 * each position of `target`.
 */
function broadcastIndex(
  p: Tensor,
  target: readonly number[],
  name: string,
  ctx: Parameters<typeof kernelFail>[0],
): Int32Array | null {
  const fits =
    p.rank <= target.length && p.shape.every((d, i) => d === 1 || d === target[target.length - p.rank + i]);
  if (!fits) {
    kernelFail(ctx, `input ${name} of shape ${formatShape(p.shape)} does not broadcast to the normalized shape ${formatShape(target)}`);
  }
  if (p.size === sizeOf(target)) return null;
  const pStrides = stridesOf(p.shape);
  const tStrides = stridesOf(target);
  const index = new Int32Array(sizeOf(target));
  const offset = target.length - p.rank;
  for (let i = 0; i < index.length; i++) {
    let rest = i;
    let j = 0;
    for (let d = 0; d < target.length; d++) {
      const coord = Math.floor(rest / tStrides[d]);
      rest -= coord * tStrides[d];
      if (d >= offset && p.shape[d - offset] !== 1) j += coord * pStrides[d - offset];
    }
    index[i] = j;
  }
  return index;
}
