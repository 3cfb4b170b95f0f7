/**
 * Resize (opset 10-19+): nearest, linear and cubic interpolation over any axes, every coordinate
 * transformation mode, scales or sizes (with keep_aspect_ratio_policy and axes), antialias for
 * linear/cubic downsampling, and tf_crop_and_resize's region of interest with extrapolation.
 *
 * Interpolation is separable, so each resized axis is one pass: every output position along the
 * axis has a few (source index, weight) taps, computed once per axis (in the plan when the
 * scales or sizes are weights, with the buffers of the passes). Nearest is a pure gather
 * through one index map per axis and works for every dtype; linear/cubic compute in float64.
 * Coordinates are computed in float32, as onnxruntime does, so nearest picks the same pixels.
 */
import type { AttributeReader, KernelContext } from '../../kernel';
import { kernel, kernelFail, required } from '../../kernel';
import type { DType, Tensor } from '../../tensor';
import { isBigIntDType, sizeBetween, sizeOf } from '../../tensor';
import { readInts } from './common';
import { gatherThroughMaps } from './axis-maps';
import { normalizeAxes } from '../common/axes';
import { shapeText } from '../common/shape-text';
import { INTEGER_RANGES, type SmallIntDType } from '../common/dtypes';

export type ResizeMode = 'nearest' | 'linear' | 'cubic';
export type CoordinateMode =
  | 'half_pixel'
  | 'half_pixel_symmetric'
  | 'pytorch_half_pixel'
  | 'align_corners'
  | 'asymmetric'
  | 'tf_half_pixel_for_nn'
  | 'tf_crop_and_resize';
/** 'simple' is Resize-10's rule: ceil when downsampling, truncate otherwise. */
export type NearestMode = 'round_prefer_floor' | 'round_prefer_ceil' | 'floor' | 'ceil' | 'simple';
export type AspectPolicy = 'stretch' | 'not_larger' | 'not_smaller';

export interface ResizeAttributes {
  opset: number;
  mode: ResizeMode;
  coordinateMode: CoordinateMode;
  nearestMode: NearestMode;
  cubicA: number;
  excludeOutside: boolean;
  extrapolationValue: number;
  antialias: boolean;
  axes?: number[];
  policy: AspectPolicy;
}

type Ctx = Pick<KernelContext, 'node'>;
const f = Math.fround;

export function parseResizeAttributes(a: AttributeReader, opset: number): ResizeAttributes {
  const mode = a.oneOf<ResizeMode>('mode', opset < 11 ? ['nearest', 'linear'] : ['nearest', 'linear', 'cubic'], 'nearest');
  const coordinateModes: CoordinateMode[] = ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_crop_and_resize'];
  if (opset < 13) coordinateModes.push('tf_half_pixel_for_nn');
  if (opset >= 19) coordinateModes.push('half_pixel_symmetric');
  const coordinateMode = opset < 11 ? 'asymmetric' : a.oneOf('coordinate_transformation_mode', coordinateModes, 'half_pixel');
  const nearestMode: NearestMode =
    opset < 11 ? 'simple' : a.oneOf<NearestMode>('nearest_mode', ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'], 'round_prefer_floor');
  const antialias = opset >= 18 && a.int('antialias', 0) !== 0;
  if (antialias && mode === 'nearest') a.fail('antialias applies to mode "linear" or "cubic", not "nearest"; set antialias=0 or change the mode');
  const axes = opset >= 18 && a.has('axes') ? a.ints('axes') : undefined;
  if (axes && new Set(axes).size !== axes.length) a.fail(`attribute "axes" [${axes.join(', ')}] repeats an axis`);
  return {
    opset,
    mode,
    coordinateMode,
    nearestMode,
    cubicA: a.float('cubic_coeff_a', -0.75),
    excludeOutside: a.int('exclude_outside', 0) !== 0,
    extrapolationValue: a.float('extrapolation_value', 0),
    antialias,
    axes,
    policy: opset >= 18 ? a.oneOf<AspectPolicy>('keep_aspect_ratio_policy', ['stretch', 'not_larger', 'not_smaller'], 'stretch') : 'stretch',
  };
}

/**
 * The node's plan: when roi, scales and sizes are weights (or absent), the output shape and scales
 * and, for nearest, the index map of every axis, for linear and cubic the taps and buffers of
 * every pass; null parts are computed per run from the values.
 */
export interface ResizeNodePlan {
  readonly dtype: DType;
  readonly resize: ResizePlan | null;
  readonly maps: Int32Array[] | null;
  readonly interpolation: InterpolationPlan | null;
}

export const resizeKernel = kernel<ResizeAttributes, ResizeNodePlan | undefined>({
  op: 'Resize',
  attributes: parseResizeAttributes,
  plan(inputs, attrs, ctx) {
    const x = required(inputs, 0, ctx);
    const params = inputs.slice(1);
    const known = params.every((p) => p === undefined || p.value !== undefined);
    const resize = known ? planResize(x.shape, [undefined, ...params.map((p) => p?.value)], attrs, ctx) : null;
    if (attrs.mode !== 'nearest') expectNumbers(x.dtype, attrs, ctx);
    return {
      dtype: x.dtype,
      resize,
      maps: resize && attrs.mode === 'nearest' ? x.shape.map((_, d) => nearestMap(resize, d, attrs)) : null,
      interpolation: resize && attrs.mode !== 'nearest' ? planInterpolation(resize, attrs) : null,
    };
  },
  outputs: (plan) => (plan?.resize ? [{ dtype: plan.dtype, shape: plan.resize.outShape }] : undefined),
  // Upsample runs this kernel without a plan (undefined): everything is then computed per run.
  run(inputs, attrs, ctx, nodePlan) {
    const x = required(inputs, 0, ctx);
    const plan = nodePlan?.resize ?? planResize(x.shape, inputs, attrs, ctx);
    const out = ctx.output(0, x.dtype, plan.outShape);
    if (out.data.length === 0) return out;
    if (attrs.mode === 'nearest') {
      const maps = nodePlan?.maps ?? x.shape.map((_, d) => nearestMap(plan, d, attrs));
      gatherThroughMaps(x, maps, extrapolationOf(x.dtype, attrs.extrapolationValue), out);
    } else {
      expectNumbers(x.dtype, attrs, ctx);
      interpolate(x, nodePlan?.interpolation ?? planInterpolation(plan, attrs), attrs.extrapolationValue, out);
    }
    return out;
  },
});

function expectNumbers(dtype: DType, attrs: ResizeAttributes, ctx: Ctx): void {
  if (dtype === 'string' || dtype === 'bool') kernelFail(ctx, `mode "${attrs.mode}" needs numbers; ${dtype} supports only "nearest"`);
}

interface ResizePlan {
  inShape: readonly number[];
  outShape: number[];
  scales: number[];
  /** per axis [start, end] of the region of interest (tf_crop_and_resize) */
  roi: [number, number][];
}

function planResize(inShape: readonly number[], inputs: ReadonlyArray<Tensor | undefined>, attrs: ResizeAttributes, ctx: Ctx): ResizePlan {
  const rank = inShape.length;
  const axes = attrs.axes ? normalizeAxes(attrs.axes, rank, ctx) : inShape.map((_, i) => i);
  const [roiInput, scalesInput, sizesInput] = attrs.opset < 11 ? [undefined, inputs[1], undefined] : [inputs[1], inputs[2], inputs[3]];
  const scalesGiven = scalesInput && scalesInput.size > 0 ? Array.from(scalesInput.data as Float32Array, Number) : undefined;
  const sizesGiven = sizesInput && sizesInput.size > 0 ? readInts(sizesInput, ctx, 'sizes') : undefined;
  if (scalesGiven && sizesGiven) kernelFail(ctx, 'give either scales or sizes, not both');
  if (!scalesGiven && !sizesGiven) kernelFail(ctx, 'one of scales or sizes is required');
  const given = (scalesGiven ?? sizesGiven)!;
  if (given.length !== axes.length) {
    kernelFail(ctx, `${scalesGiven ? 'scales' : 'sizes'} has ${given.length} values; expected ${axes.length} (one per ${attrs.axes ? 'listed axis' : 'input axis'} of ${shapeText(inShape)})`);
  }
  const scales = new Array<number>(rank).fill(1);
  const outShape = inShape.slice();
  if (scalesGiven) {
    axes.forEach((axis, i) => {
      const s = f(scalesGiven[i]);
      if (!(s > 0)) kernelFail(ctx, `scales must be positive, got ${scalesGiven[i]} for axis ${axis}`);
      scales[axis] = s;
      outShape[axis] = Math.trunc(f(s * inShape[axis]));
    });
  } else {
    axes.forEach((axis, i) => {
      const size = sizesGiven![i];
      if (size < 0) kernelFail(ctx, `sizes must not be negative, got ${size} for axis ${axis}`);
      if (inShape[axis] === 0 && size !== 0) kernelFail(ctx, `axis ${axis} is empty and cannot be resized to ${size}`);
      scales[axis] = inShape[axis] === 0 ? 1 : f(size / inShape[axis]);
      outShape[axis] = size;
    });
    if (attrs.policy !== 'stretch') {
      const picked = axes.map((a) => scales[a]);
      const s = attrs.policy === 'not_larger' ? Math.min(...picked) : Math.max(...picked);
      for (const axis of axes) {
        scales[axis] = s;
        outShape[axis] = Math.round(f(s * inShape[axis]));
      }
    }
  }
  const roi = inShape.map((): [number, number] => [0, 1]);
  if (attrs.coordinateMode === 'tf_crop_and_resize') {
    if (!roiInput || roiInput.size === 0) kernelFail(ctx, 'coordinate_transformation_mode "tf_crop_and_resize" needs the roi input');
    const values = Array.from(roiInput.data as Float32Array, Number);
    if (values.length !== 2 * axes.length) kernelFail(ctx, `roi has ${values.length} values; expected ${2 * axes.length} (starts then ends)`);
    axes.forEach((axis, i) => (roi[axis] = [values[i], values[i + axes.length]]));
  }
  return { inShape, outShape, scales, roi };
}

/** The original coordinate of output position `o` along an axis (NaN marks extrapolation). */
function originalCoordinate(o: number, plan: ResizePlan, axis: number, mode: CoordinateMode): number {
  const scale = plan.scales[axis];
  const inLen = plan.inShape[axis];
  const outLen = plan.outShape[axis];
  // the unrounded output length, as the ONNX reference uses it
  const outWidth = scale * inLen;
  switch (mode) {
    case 'asymmetric':
      return f(o / scale);
    case 'pytorch_half_pixel':
      return outLen > 1 ? f(f(f(o + 0.5) / scale) - 0.5) : 0;
    case 'tf_half_pixel_for_nn':
      return f(f(o + 0.5) / scale);
    case 'align_corners':
      return outWidth === 1 || outLen === 1 ? 0 : (o * (inLen - 1)) / (outWidth - 1);
    case 'tf_crop_and_resize': {
      const [start, end] = plan.roi[axis];
      const x = outLen > 1 ? start * (inLen - 1) + (o * (end - start) * (inLen - 1)) / (outWidth - 1) : 0.5 * (start + end) * (inLen - 1);
      return x < 0 || x > inLen - 1 ? NaN : x;
    }
    case 'half_pixel_symmetric': {
      const adjustment = outLen / outWidth;
      const offset = (inLen / 2) * (1 - adjustment);
      return offset + (o + 0.5) / scale - 0.5;
    }
    default:
      return f(f(f(o + 0.5) / scale) - 0.5);
  }
}

function nearestIndex(x: number, mode: NearestMode, downsample: boolean): number {
  switch (mode) {
    case 'simple':
      return downsample ? Math.ceil(x) : Math.trunc(x);
    case 'round_prefer_ceil':
      return Math.round(x);
    case 'floor':
      return Math.floor(x);
    case 'ceil':
      return Math.ceil(x);
    default:
      return x === Math.floor(x) + 0.5 ? Math.floor(x) : Math.round(x);
  }
}

/** Source index per output position along one axis; -1 for an extrapolated position. */
function nearestMap(plan: ResizePlan, axis: number, attrs: ResizeAttributes): Int32Array {
  const inLen = plan.inShape[axis];
  const outLen = plan.outShape[axis];
  const map = new Int32Array(outLen);
  const identity = plan.scales[axis] === 1 && inLen === outLen && attrs.coordinateMode !== 'tf_crop_and_resize';
  for (let o = 0; o < outLen; o++) {
    if (identity) {
      map[o] = o;
      continue;
    }
    const x = originalCoordinate(o, plan, axis, attrs.coordinateMode);
    if (Number.isNaN(x)) {
      map[o] = -1;
      continue;
    }
    const i = nearestIndex(x, attrs.nearestMode, plan.scales[axis] < 1);
    map[o] = Math.min(Math.max(i, 0), inLen - 1);
  }
  return map;
}

function extrapolationOf(dtype: DType, value: number): unknown {
  if (isBigIntDType(dtype)) return BigInt(Math.trunc(value));
  if (dtype === 'string') return '';
  return value;
}

interface Taps {
  /** taps per output position */
  count: number;
  /** [outLen * count] source indices */
  index: Int32Array;
  /** [outLen * count] weights */
  weight: Float64Array;
  /** output positions outside the crop region */
  extrapolate: Uint8Array;
}

/** Filter weights for the taps at offsets `first + k - ratio` from the sample point. */
function filterWeights(attrs: ResizeAttributes, scale: number, ratio: number): { first: number; weights: number[] } {
  const s = attrs.antialias ? Math.min(scale, 1) : 1;
  if (attrs.mode === 'linear') {
    const first = Math.floor(-1 / s) + 1;
    const n = 2 - 2 * first;
    const weights = Array.from({ length: n }, (_, k) => Math.min(Math.max(1 - Math.abs((first + k - ratio) * s), 0), 1));
    return { first, weights: normalized(weights) };
  }
  const A = attrs.cubicA;
  const cubic = (t: number): number => {
    const z = Math.abs(t);
    if (z <= 1) return ((A + 2) * z - (A + 3)) * z * z + 1;
    if (z < 2) return ((A * z - 5 * A) * z + 8 * A) * z - 4 * A;
    return 0;
  };
  const first = Math.floor(-2 / s) + 1;
  const n = 2 - 2 * first;
  const weights = Array.from({ length: n }, (_, k) => cubic((first + k - ratio) * s));
  return { first, weights: attrs.antialias ? normalized(weights) : weights };
}

function normalized(w: number[]): number[] {
  const sum = w.reduce((a, b) => a + b, 0);
  return sum === 0 ? w : w.map((v) => v / sum);
}

function axisTaps(plan: ResizePlan, axis: number, attrs: ResizeAttributes): Taps {
  const inLen = plan.inShape[axis];
  const outLen = plan.outShape[axis];
  const scale = plan.scales[axis];
  let count = 0;
  const rows: { index: number[]; weight: number[] }[] = [];
  const extrapolate = new Uint8Array(outLen);
  for (let o = 0; o < outLen; o++) {
    const x = originalCoordinate(o, plan, axis, attrs.coordinateMode);
    if (Number.isNaN(x)) {
      extrapolate[o] = 1;
      rows.push({ index: [], weight: [] });
      continue;
    }
    const base = Math.floor(x);
    const { first, weights } = filterWeights(attrs, scale, x - base);
    const index = weights.map((_, k) => base + first + k);
    if (attrs.excludeOutside) {
      const kept = weights.map((w, k) => (index[k] < 0 || index[k] >= inLen ? 0 : w));
      const sum = kept.reduce((a, b) => a + b, 0);
      for (let k = 0; k < weights.length; k++) weights[k] = sum === 0 ? 0 : kept[k] / sum;
    }
    rows.push({ index: index.map((i) => Math.min(Math.max(i, 0), inLen - 1)), weight: weights });
    count = Math.max(count, weights.length);
  }
  const index = new Int32Array(outLen * count);
  const weight = new Float64Array(outLen * count);
  rows.forEach((r, o) => {
    r.index.forEach((i, k) => {
      index[o * count + k] = i;
      weight[o * count + k] = r.weight[k];
    });
  });
  return { count, index, weight, extrapolate };
}

/**
 * One separable pass along a resized axis: its taps and the float64 buffer it writes (made on the
 * first run, after the output buffer has been granted, and kept).
 */
interface Pass {
  readonly taps: Taps;
  /** the product of the (already resized) dimensions before the axis */
  readonly outer: number;
  /** the product of the dimensions after it */
  readonly inner: number;
  readonly inLen: number;
  readonly outLen: number;
  buffer: Float64Array | null;
}

/** The input as float64, then one pass per resized axis (identity axes have none). */
interface InterpolationPlan {
  readonly inputSize: number;
  input: Float64Array | null;
  readonly passes: readonly Pass[];
}

function planInterpolation(plan: ResizePlan, attrs: ResizeAttributes): InterpolationPlan {
  const shape = plan.inShape.slice();
  const passes: Pass[] = [];
  for (let axis = 0; axis < shape.length; axis++) {
    const inLen = plan.inShape[axis];
    const outLen = plan.outShape[axis];
    if (plan.scales[axis] === 1 && inLen === outLen && attrs.coordinateMode !== 'tf_crop_and_resize') continue;
    const outer = sizeBetween(shape, 0, axis);
    const inner = sizeBetween(shape, axis + 1);
    passes.push({ taps: axisTaps(plan, axis, attrs), outer, inner, inLen, outLen, buffer: null });
    shape[axis] = outLen;
  }
  return { inputSize: sizeOf(plan.inShape), input: null, passes };
}

/** Runs the passes over float64 values, then stores into the output type. */
function interpolate(x: Tensor, plan: InterpolationPlan, extrapolation: number, out: Tensor): void {
  plan.input ??= new Float64Array(plan.inputSize);
  let cur = toFloat64Into(x.data as ArrayLike<number | bigint>, plan.input);
  for (const pass of plan.passes) {
    const { taps, outer, inner, inLen, outLen } = pass;
    const next = (pass.buffer ??= new Float64Array(outer * outLen * inner));
    if (inner === 1) {
      innermostPass(cur, next, outer, inLen, outLen, taps, extrapolation);
      cur = next;
      continue;
    }
    next.fill(0);
    for (let b = 0; b < outer; b++) {
      const srcBase = b * inLen * inner;
      for (let o = 0; o < outLen; o++) {
        const dstRow = (b * outLen + o) * inner;
        if (taps.extrapolate[o]) {
          next.fill(extrapolation, dstRow, dstRow + inner);
          continue;
        }
        for (let k = 0; k < taps.count; k++) {
          const w = taps.weight[o * taps.count + k];
          if (w === 0) continue;
          const src = srcBase + taps.index[o * taps.count + k] * inner;
          for (let i = 0; i < inner; i++) next[dstRow + i] += w * cur[src + i];
        }
      }
    }
    cur = next;
  }
  storeAs(cur, out);
}

function toFloat64Into(src: ArrayLike<number | bigint>, out: Float64Array): Float64Array {
  if (src instanceof BigInt64Array || src instanceof BigUint64Array) for (let i = 0; i < src.length; i++) out[i] = Number(src[i]);
  else out.set(src as ArrayLike<number>);
  return out;
}

/** The pass along the last axis: each output element is a short dot product over its taps. */
function innermostPass(cur: Float64Array, next: Float64Array, outer: number, inLen: number, outLen: number, taps: Taps, extrapolation: number): void {
  const { count, index, weight, extrapolate } = taps;
  for (let b = 0; b < outer; b++) {
    const srcBase = b * inLen;
    const dstBase = b * outLen;
    for (let o = 0, t = 0; o < outLen; o++, t += count) {
      if (extrapolate[o]) {
        next[dstBase + o] = extrapolation;
        continue;
      }
      let acc = 0;
      for (let k = 0; k < count; k++) acc += weight[t + k] * cur[srcBase + index[t + k]];
      next[dstBase + o] = acc;
    }
  }
}

/** Writes float64 results into the output: floats as they are, integers rounded and clamped. */
function storeAs(values: Float64Array, out: Tensor): void {
  const dst = out.data;
  if (out.dtype === 'float32' || out.dtype === 'float64') {
    (dst as Float32Array).set(values);
    return;
  }
  if (isBigIntDType(out.dtype)) {
    const d = dst as BigInt64Array;
    for (let i = 0; i < values.length; i++) d[i] = BigInt(Math.round(values[i]));
    return;
  }
  const [lo, hi] = INTEGER_RANGES[out.dtype as SmallIntDType] ?? [-Infinity, Infinity];
  const d = dst as Int32Array;
  for (let i = 0; i < values.length; i++) d[i] = Math.min(Math.max(Math.round(values[i]), lo), hi);
}
