/**
 * LayerNormalization (opset 17): each row of the trailing dims X.shape[axis:] is normalized,
 *   y = (x - mean) * invStdDev * Scale + B,   invStdDev = 1 / sqrt(var + epsilon)
 * Scale and B broadcast (right-aligned) over X.shape[axis:]. The optional outputs Mean and
 * InvStdDev have shape X.shape[:axis] + [1, ...] and the element type chosen by stash_type.
 *
 * Statistics are accumulated in double (onnxruntime accumulates float32 inputs in float32, so
 * this is at least as accurate). float32 tensors run through one monomorphic loop over contiguous
 * rows; float64, broadcast parameters and the Mean / InvStdDev outputs take a general loop.
 */
import { kernel } from '../../kernel';
import { sizeBetween, span } from '../../tensor';
import { wasmKernels } from '../../wasm';
import { normalizedAxis, rowParameter } from './row-parameters';
import { floatInput } from '../common/inputs';
import type { FloatTensor } from '../common/tensor-types';
import { wantsOutput } from '../common/work-buffers';

export interface LayerNormalizationAttributes {
  readonly axis: number;
  readonly epsilon: number;
  /** dtype of Mean and InvStdDev (stash_type 1 = float32, 11 = float64) */
  readonly stashDType: 'float32' | 'float64';
}

export const layerNormalizationKernel = kernel<LayerNormalizationAttributes>({
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
    const axis = normalizedAxis(attrs.axis, x.shape, ctx);
    const inner = sizeBetween(x.shape, axis);
    // a product of dims, not a quotient: V8 keeps it a small integer, and the row loop with it
    const outer = sizeBetween(x.shape, 0, axis);
    const sd = rowParameter(scale, x.shape, axis, 'Scale', ctx);
    const bd = bias ? rowParameter(bias, x.shape, axis, 'B', ctx) : null;

    const y = ctx.output(0, x.dtype, x.shape) as FloatTensor;
    const wantMean = wantsOutput(ctx, 1);
    const wantInv = wantsOutput(ctx, 2);
    const statShape = wantMean || wantInv ? x.shape.map((d, i) => (i < axis ? d : 1)) : x.shape;
    const meanOut = wantMean ? (ctx.output(1, attrs.stashDType, statShape) as FloatTensor) : undefined;
    const invOut = wantInv ? (ctx.output(2, attrs.stashDType, statShape) as FloatTensor) : undefined;

    if (x.data instanceof Float32Array && sd instanceof Float32Array && (bd === null || bd instanceof Float32Array) && !wantMean && !wantInv) {
      if (outer * inner < WASM_MIN_ELEMENTS || !layerNormWasm(x.data, y.data as Float32Array, sd, bd, outer, inner, attrs.epsilon)) {
        layerNormRowsF32(x.data, y.data as Float32Array, sd, bd, outer, inner, attrs.epsilon);
      }
    } else {
      layerNormRows(x.data, y.data, sd, bd, outer, inner, attrs.epsilon, meanOut?.data ?? null, invOut?.data ?? null);
    }
    // an omitted optional output still needs a slot in the list; the session ignores it
    if (meanOut || invOut) return ctx.results(y, meanOut ?? y, invOut ?? y);
    return y;
  },
});

/** Tensors smaller than this stay in JavaScript: copying in and out would cost more. */
const WASM_MIN_ELEMENTS = 1024;

/**
 * The float32 path in WebAssembly SIMD (same double-precision formula, two lanes at a time), when
 * the kernels module is installed; false otherwise. X, Scale and B are copied into wasm memory and
 * Y copied back: a plain memcpy is far cheaper than the JavaScript loop's per-element work.
 */
function layerNormWasm(xd: Float32Array, yd: Float32Array, sd: Float32Array, bd: Float32Array | null, outer: number, inner: number, epsilon: number): boolean {
  const wk = wasmKernels();
  if (wk === null) return false;
  const size = outer * inner;
  wk.beginCall();
  const xPtr = wk.allocScratch(size);
  const sPtr = wk.allocScratch(inner);
  const bPtr = bd ? wk.allocScratch(inner) : 0;
  const heap = wk.f32; // after the last allocation: no grow can detach it below
  heap.set(span(xd, 0, size), xPtr >> 2);
  heap.set(span(sd, 0, inner), sPtr >> 2);
  if (bd) heap.set(span(bd, 0, inner), bPtr >> 2);
  // y overwrites x in place: each row is read fully before it is written
  wk.exports.layerNorm(xPtr, xPtr, sPtr, bPtr, outer, inner, epsilon);
  yd.set(wk.view(xPtr, size));
  return true;
}

/**
 * The hot path: float32 rows with one Scale (and B) value per row position. Only ever called with
 * Float32Arrays so that V8 keeps it monomorphic. One pass gathers the sum and the sum of squares
 * (var = E[x^2] - mean^2, the formula onnxruntime uses; in double the cancellation costs nothing
 * measurable), two partial sums per statistic break the add dependency chain, a second pass writes.
 */
function layerNormRowsF32(
  xd: Float32Array,
  yd: Float32Array,
  sd: Float32Array,
  bd: Float32Array | null,
  outer: number,
  inner: number,
  epsilon: number,
): void {
  for (let r = 0, base = 0; r < outer; r++, base += inner) {
    const end = base + inner;
    let s0 = 0;
    let s1 = 0;
    let q0 = 0;
    let q1 = 0;
    let i = base;
    for (; i + 1 < end; i += 2) {
      const v = xd[i];
      const w = xd[i + 1];
      s0 += v;
      q0 += v * v;
      s1 += w;
      q1 += w * w;
    }
    if (i < end) {
      const v = xd[i];
      s0 += v;
      q0 += v * v;
    }
    const mean = (s0 + s1) / inner;
    const variance = Math.max(0, (q0 + q1) / inner - mean * mean);
    const inv = 1 / Math.sqrt(variance + epsilon);
    if (bd !== null) {
      for (let j = 0; j < inner; j++) yd[base + j] = (xd[base + j] - mean) * inv * sd[j] + bd[j];
    } else {
      for (let j = 0; j < inner; j++) yd[base + j] = (xd[base + j] - mean) * inv * sd[j];
    }
  }
}

/** Any float dtype mix, and the Mean / InvStdDev outputs. */
export function layerNormRows(
  xd: Float32Array | Float64Array,
  yd: Float32Array | Float64Array,
  sd: Float32Array | Float64Array,
  bd: Float32Array | Float64Array | null,
  outer: number,
  inner: number,
  epsilon: number,
  meanOut: Float32Array | Float64Array | null,
  invOut: Float32Array | Float64Array | null,
): void {
  for (let r = 0, base = 0; r < outer; r++, base += inner) {
    let sum = 0;
    for (let j = 0; j < inner; j++) sum += xd[base + j];
    const mean = sum / inner;
    let sq = 0;
    for (let j = 0; j < inner; j++) {
      const d = xd[base + j] - mean;
      sq += d * d;
    }
    const inv = 1 / Math.sqrt(sq / inner + epsilon);
    for (let j = 0; j < inner; j++) yd[base + j] = (xd[base + j] - mean) * inv * sd[j] + (bd === null ? 0 : bd[j]);
    if (meanOut !== null) meanOut[r] = mean;
    if (invOut !== null) invOut[r] = inv;
  }
}
