/**
 * Pad in modes constant, reflect, edge and wrap. Pads come from the `paddings` (opset 1) or `pads`
 * (opset 2-10) attribute, or from input 1 (opset 11+, with optional axes from opset 18).
 * Negative pads crop. Each output axis gets a map from output position to source position (-1 for
 * the constant border), and the copy through the maps is tensor/axis-maps.ts. When
 * the pads and axes are attributes or weights, the plan holds the maps.
 */
import type { KernelContext } from '../../kernel';
import { kernel, kernelFail, required } from '../../kernel';
import type { DType, Tensor } from '../../tensor';
import { isBigIntDType } from '../../tensor';
import { plannedInts, readInts, zeroOf } from './common';
import { gatherThroughMaps } from './axis-maps';
import { normalizeAxes } from '../common/axes';
import { shapeText } from '../common/shape-text';

export type PadMode = 'constant' | 'reflect' | 'edge' | 'wrap';

interface PadAttributes {
  mode: PadMode;
  /** opset < 11 only */
  pads?: number[];
  value?: number;
}

type Ctx = Pick<KernelContext, 'node'>;

/** The output shape and, per axis, the map from output position to source position. */
interface PadLayout {
  readonly outShape: readonly number[];
  readonly maps: readonly Int32Array[];
}

interface PadPlan {
  readonly dtype: DType;
  /** null when the pads or axes arrive as activations (read every run) */
  readonly layout: PadLayout | null;
}

export const padKernel = kernel<PadAttributes, PadPlan>({
  op: 'Pad',
  attributes: (a, opset) => {
    const modes: PadMode[] = opset >= 19 ? ['constant', 'reflect', 'edge', 'wrap'] : ['constant', 'reflect', 'edge'];
    const mode = a.oneOf('mode', modes, 'constant');
    if (opset >= 11) return { mode };
    return { mode, pads: a.ints(opset < 2 ? 'paddings' : 'pads'), value: a.float('value', 0) };
  },
  plan(inputs, attrs, ctx) {
    const x = required(inputs, 0, ctx);
    const pads = attrs.pads ?? plannedInts(required(inputs, 1, ctx), ctx, 'pads');
    const axes = plannedInts(inputs[3], ctx, 'axes');
    const known = pads != null && axes !== null;
    return { dtype: x.dtype, layout: known ? padLayout(x.shape, pads, axes, attrs.mode, ctx) : null };
  },
  outputs: (plan) => (plan.layout ? [{ dtype: plan.dtype, shape: plan.layout.outShape }] : undefined),
  run(inputs, attrs, ctx, plan) {
    const x = inputs[0]!;
    const layout =
      plan.layout ?? padLayout(x.shape, attrs.pads ?? readInts(required(inputs, 1, ctx), ctx, 'pads'), inputs[3] ? readInts(inputs[3], ctx, 'axes') : undefined, attrs.mode, ctx);
    const value = attrs.mode === 'constant' ? constantValue(x, inputs[2], attrs.value, ctx) : zeroOf(x);
    const out = ctx.output(0, x.dtype, layout.outShape);
    gatherThroughMaps(x, layout.maps, value, out);
    return out;
  },
});

function padLayout(shape: readonly number[], given: readonly number[], axesIn: readonly number[] | undefined, mode: PadMode, ctx: Ctx): PadLayout {
  const rank = shape.length;
  let pads = given;
  const axes = axesIn ? normalizeAxes(axesIn, rank, ctx) : undefined;
  if (axes) {
    if (pads.length !== 2 * axes.length) kernelFail(ctx, `pads has ${pads.length} values; 2 per axis in axes [${axes.join(', ')}] are needed`);
    const full = new Array<number>(2 * rank).fill(0);
    axes.forEach((axis, i) => {
      full[axis] = given[i];
      full[axis + rank] = given[i + axes.length];
    });
    pads = full;
  }
  if (pads.length !== 2 * rank) kernelFail(ctx, `pads has ${pads.length} values; input ${shapeText(shape)} needs ${2 * rank} (begin and end per axis)`);
  const maps = shape.map((dim, d) => axisMap(dim, pads[d], pads[d + rank], mode, d, ctx));
  return { outShape: maps.map((m) => m.length), maps };
}

function constantValue(x: Tensor, given: Tensor | undefined, attrValue: number | undefined, ctx: Ctx): unknown {
  if (given) {
    if (given.size === 0) return zeroOf(x);
    if (given.size !== 1) kernelFail(ctx, `constant_value must be a scalar, got shape ${shapeText(given.shape)}`);
    if (given.dtype !== x.dtype) kernelFail(ctx, `constant_value is ${given.dtype} but data is ${x.dtype}`);
    return given.data[0];
  }
  const v = attrValue ?? 0;
  if (isBigIntDType(x.dtype)) return BigInt(Math.trunc(v));
  if (x.dtype === 'string') return zeroOf(x);
  return v;
}

/** For each output position along one axis: the source position, or -1 for the constant border. */
function axisMap(dim: number, begin: number, end: number, mode: PadMode, axis: number, ctx: Ctx): Int32Array {
  // negative pads crop the input first; the positive ones then pad what is left
  const cropStart = Math.max(0, -begin);
  const kept = dim - cropStart - Math.max(0, -end);
  if (kept < 0) kernelFail(ctx, `pads ${begin}, ${end} crop more than the ${dim} elements of axis ${axis}`);
  const padBegin = Math.max(0, begin);
  const size = kept + padBegin + Math.max(0, end);
  if (kept === 0 && size > 0 && mode !== 'constant') kernelFail(ctx, `cannot ${mode}-pad axis ${axis}: it has no elements`);
  const map = new Int32Array(size);
  const period = 2 * (kept - 1);
  for (let i = 0; i < size; i++) {
    let j = i - padBegin;
    if (j < 0 || j >= kept) {
      if (mode === 'constant') {
        map[i] = -1;
        continue;
      }
      if (mode === 'edge') j = j < 0 ? 0 : kept - 1;
      else if (mode === 'wrap') j = ((j % kept) + kept) % kept;
      else if (kept === 1) j = 0;
      else {
        // reflect without repeating the edge: period 2 * (n - 1)
        j = ((j % period) + period) % period;
        if (j >= kept) j = period - j;
      }
    }
    map[i] = cropStart + j;
  }
  return map;
}
