/**
 * What RNN, GRU and LSTM share: their common attributes, the validation of X, W, R, B,
 * sequence_lens and initial_h, the working buffers, and where a (time, direction, batch) row lands
 * in the outputs for either layout.
 *
 * layout 0: X [seq, batch, input],  Y [seq, dirs, batch, hidden],  Y_h [dirs, batch, hidden]
 * layout 1: X [batch, seq, input],  Y [batch, seq, dirs, hidden],  Y_h [batch, dirs, hidden]
 */
import { kernelFail, type AttributeReader, type KernelContext, type PlanInput } from '../../kernel';
import type { Tensor } from '../../tensor';
import { PackedWeights, packedWeightsFor } from '../linalg/gemm';
import { parseActivations, type Activation, type ActivationKind } from './activations';
import { matmulTransposedB, type FloatArray } from './gemm';
import { expectSameFloat, expectShape, optionalFloatInput } from '../common/inputs';
import type { FloatTensor } from '../common/tensor-types';
import { wantsOutput } from '../common/work-buffers';


export interface RecurrentAttributes {
  readonly direction: 'forward' | 'reverse' | 'bidirectional';
  readonly numDirections: number;
  /** null: taken from R's last dimension */
  readonly hiddenSize: number | null;
  /** one list per direction */
  readonly activations: readonly (readonly Activation[])[];
  /** gate pre-activations are clipped to [-clip, clip]; Infinity when not set */
  readonly clip: number;
  readonly layout: 0 | 1;
}

export function parseRecurrentAttributes(attrs: AttributeReader, opset: number, defaults: readonly ActivationKind[]): RecurrentAttributes {
  const direction = attrs.oneOf('direction', ['forward', 'reverse', 'bidirectional'] as const, 'forward');
  const numDirections = direction === 'bidirectional' ? 2 : 1;
  const hiddenSize = attrs.int('hidden_size', null);
  if (hiddenSize !== null && hiddenSize < 1) attrs.fail(`attribute "hidden_size" must be a positive integer, got ${hiddenSize}`);
  const clip = attrs.float('clip', Infinity);
  if (!(clip > 0)) attrs.fail(`attribute "clip" must be a positive threshold, got ${clip}`);
  const layout = opset >= 14 ? attrs.int('layout', 0) : 0;
  if (layout !== 0 && layout !== 1) attrs.fail(`attribute "layout" must be 0 ([seq, batch, ...]) or 1 ([batch, seq, ...]), got ${layout}`);
  const activations = parseActivations(attrs, defaults, numDirections);
  return { direction, numDirections, hiddenSize, activations, clip, layout };
}

/** A recurrent node's plan: the packed layouts of W and R when they are weights. */
export interface RecurrentPlan {
  readonly w: PackedWeights | null;
  readonly r: PackedWeights | null;
}

export function planRecurrent(inputs: ReadonlyArray<PlanInput | undefined>, _attrs: unknown, _ctx: unknown, previous: RecurrentPlan | undefined): RecurrentPlan {
  return { w: packedWeightsFor(inputs[1], previous?.w), r: packedWeightsFor(inputs[2], previous?.r) };
}

/** The validated inputs of one recurrent node, with sizes spelled out. */
export interface RecurrentProblem {
  readonly dtype: 'float32' | 'float64';
  readonly seqLength: number;
  readonly batch: number;
  readonly inputSize: number;
  readonly hidden: number;
  readonly numDirections: number;
  readonly layout: 0 | 1;
  readonly x: FloatTensor;
  readonly w: FloatArray;
  readonly r: FloatArray;
  /** the packed layouts of W and R when they are weights (from the node's plan) */
  readonly wWeights: PackedWeights | null;
  readonly rWeights: PackedWeights | null;
  readonly b: FloatArray | null;
  /** per batch entry: the number of steps to run (seq_length when sequence_lens is absent) */
  readonly seqLens: Int32Array;
  readonly initialH: FloatArray | null;
}

/** An optional float input that must share X's dtype. */
function floatInput(inputs: ReadonlyArray<Tensor | undefined>, index: number, name: string, ctx: Pick<KernelContext, 'node'>, x?: FloatTensor): FloatTensor | undefined {
  const t = optionalFloatInput(inputs, index, name, ctx);
  if (t && x) expectSameFloat(t, x, name, 'X', ctx);
  return t;
}

/**
 * Validates inputs 0..5 (X, W, R, B, sequence_lens, initial_h) for a cell with `gates` gates.
 */
export function readRecurrentInputs(
  inputs: ReadonlyArray<Tensor | undefined>,
  attrs: RecurrentAttributes,
  gates: number,
  ctx: Pick<KernelContext, 'node'>,
  plan: RecurrentPlan,
): RecurrentProblem {
  const x = floatInput(inputs, 0, 'X', ctx);
  if (!x) kernelFail(ctx, 'input X is required');
  if (x.rank !== 3) kernelFail(ctx, `input X must have rank 3 (${attrs.layout === 0 ? '[seq_length, batch_size, input_size]' : '[batch_size, seq_length, input_size]'}), got [${x.shape.join(', ')}]`);
  const w = floatInput(inputs, 1, 'W', ctx, x);
  const r = floatInput(inputs, 2, 'R', ctx, x);
  if (!w || !r) kernelFail(ctx, 'inputs W and R are required');
  const [seqLength, batch] = attrs.layout === 0 ? [x.shape[0], x.shape[1]] : [x.shape[1], x.shape[0]];
  const inputSize = x.shape[2];
  const D = attrs.numDirections;
  const hidden = attrs.hiddenSize ?? (r.rank === 3 ? r.shape[2] : 0);
  expectShape(w, [D, gates * hidden, inputSize], 'W', ctx);
  expectShape(r, [D, gates * hidden, hidden], 'R', ctx);
  const b = floatInput(inputs, 3, 'B', ctx, x);
  if (b) expectShape(b, [D, 2 * gates * hidden], 'B', ctx);

  const seqLens = new Int32Array(batch).fill(seqLength);
  const lens = inputs[4];
  if (lens) {
    if (lens.dtype !== 'int32' && lens.dtype !== 'int64') kernelFail(ctx, `input sequence_lens must be int32, got ${lens.dtype}`);
    expectShape(lens, [batch], 'sequence_lens', ctx);
    for (let i = 0; i < batch; i++) {
      const len = Number(lens.data[i]);
      if (!(len >= 0 && len <= seqLength)) kernelFail(ctx, `sequence_lens[${i}] = ${len} is outside 0..${seqLength} (the sequence length of X)`);
      seqLens[i] = len;
    }
  }
  const initialH = floatInput(inputs, 5, 'initial_h', ctx, x);
  if (initialH) expectShape(initialH, attrs.layout === 0 ? [D, batch, hidden] : [batch, D, hidden], 'initial_h', ctx);
  return {
    dtype: x.dtype,
    seqLength,
    batch,
    inputSize,
    hidden,
    numDirections: D,
    layout: attrs.layout,
    x,
    w: w.data,
    r: r.data,
    wWeights: plan.w,
    rWeights: plan.r,
    b: b?.data ?? null,
    seqLens,
    initialH: initialH?.data ?? null,
  };
}

/**
 * Working buffers of the given lengths, carved from the node's reused float32 scratch for float32
 * models (so steady-state runs allocate nothing) or freshly allocated for float64.
 */
export function workspace(ctx: KernelContext, dtype: 'float32' | 'float64', lengths: readonly number[]): FloatArray[] {
  let total = 0;
  for (const n of lengths) total += n;
  const buffer: FloatArray = dtype === 'float32' ? ctx.scratch(total) : new Float64Array(total);
  const out: FloatArray[] = [];
  let offset = 0;
  for (const n of lengths) {
    out.push(buffer.subarray(offset, offset + n));
    offset += n;
  }
  return out;
}

/** X in [seq, batch, input] order: X itself for layout 0, else transposed into `buffer`. */
export function sequenceMajor(p: RecurrentProblem, buffer: FloatArray): FloatArray {
  if (p.layout === 0) return p.x.data;
  const { seqLength: S, batch: B, inputSize: I } = p;
  const src = p.x.data;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < S; t++) {
      const from = (b * S + t) * I;
      const to = (t * B + b) * I;
      for (let i = 0; i < I; i++) buffer[to + i] = src[from + i];
    }
  }
  return buffer;
}

/** Offset of row (t, d, b) in Y. */
export function yOffset(p: RecurrentProblem, t: number, d: number, b: number): number {
  const { seqLength: S, batch: B, hidden: H, numDirections: D } = p;
  return p.layout === 0 ? ((t * D + d) * B + b) * H : ((b * S + t) * D + d) * H;
}

/** Offset of row (d, b) in Y_h, Y_c and initial_h / initial_c. */
export function stateOffset(p: RecurrentProblem, d: number, b: number): number {
  return p.layout === 0 ? (d * p.batch + b) * p.hidden : (b * p.numDirections + d) * p.hidden;
}

export function yShape(p: RecurrentProblem): number[] {
  const { seqLength: S, batch: B, hidden: H, numDirections: D } = p;
  return p.layout === 0 ? [S, D, B, H] : [B, S, D, H];
}

export function stateShape(p: RecurrentProblem): number[] {
  const { batch: B, hidden: H, numDirections: D } = p;
  return p.layout === 0 ? [D, B, H] : [B, D, H];
}


/** The placeholder returned in the slot of an omitted optional output (an empty tensor). */
export function omittedOutput(ctx: KernelContext, index: number, dtype: 'float32' | 'float64'): Tensor {
  return ctx.output(index, dtype, [0]);
}

/** Y (when the node wants it, padded steps zeroed) and Y_h, the outputs every recurrent op has. */
export function outputBuffers(ctx: KernelContext, p: RecurrentProblem): { yTensor: FloatTensor | null; y: FloatArray | null; yh: FloatTensor } {
  const yTensor = wantsOutput(ctx, 0) ? (ctx.output(0, p.dtype, yShape(p)) as FloatTensor) : null;
  const y = yTensor ? yTensor.data : null;
  if (y) zeroPaddedSteps(p, y);
  return { yTensor, y, yh: ctx.output(1, p.dtype, stateShape(p)) as FloatTensor };
}

/** Copies the hidden state of batch row b (at hb in h) into Y at step t, direction d, when Y is wanted. */
export function storeStep(p: RecurrentProblem, y: FloatArray | null, t: number, d: number, b: number, h: FloatArray, hb: number): void {
  if (!y) return;
  const yo = yOffset(p, t, d, b);
  for (let j = 0; j < p.hidden; j++) y[yo + j] = h[hb + j];
}

/** The node's outputs (Y, Y_h and, for LSTM, Y_c), as many as it declares. */
export function recurrentOutputs(ctx: KernelContext, p: RecurrentProblem, y: Tensor | null, yh: Tensor, yc?: Tensor): Tensor[] {
  const outputs: Tensor[] = [y ?? omittedOutput(ctx, 0, p.dtype), yh];
  if (yc) outputs.push(yc);
  return outputs.slice(0, Math.max(1, ctx.node.outputs.length));
}

/** Fills the rows of Y that lie past each batch entry's sequence length with zeros. */
export function zeroPaddedSteps(p: RecurrentProblem, y: FloatArray): void {
  for (let b = 0; b < p.batch; b++) {
    for (let t = p.seqLens[b]; t < p.seqLength; t++) {
      for (let d = 0; d < p.numDirections; d++) y.fill(0, yOffset(p, t, d, b), yOffset(p, t, d, b) + p.hidden);
    }
  }
}

/** Clips a[offset .. offset + length) to [-limit, limit] (no-op for an infinite limit). */
export function clipInPlace(a: FloatArray, offset: number, length: number, limit: number): void {
  if (limit === Infinity) return;
  for (let i = offset, end = offset + length; i < end; i++) {
    const v = a[i];
    a[i] = v > limit ? limit : v < -limit ? -limit : v;
  }
}

/** Copies initial state row (d, b) into `state` (batch-major [B, H]), or zeros without one. */
export function loadInitialState(p: RecurrentProblem, initial: FloatArray | null, d: number, state: FloatArray): void {
  const H = p.hidden;
  for (let b = 0; b < p.batch; b++) {
    if (!initial) state.fill(0, b * H, (b + 1) * H);
    else {
      const from = stateOffset(p, d, b);
      for (let j = 0; j < H; j++) state[b * H + j] = initial[from + j];
    }
  }
}

/**
 * Writes state rows [B, H] of direction d into Y_h / Y_c. A batch entry whose sequence length is 0
 * ran no step and reports zeros, as onnxruntime does, rather than echoing its initial state.
 */
export function storeState(p: RecurrentProblem, state: FloatArray, d: number, out: FloatArray): void {
  const H = p.hidden;
  for (let b = 0; b < p.batch; b++) {
    const to = stateOffset(p, d, b);
    if (p.seqLens[b] === 0) out.fill(0, to, to + H);
    else for (let j = 0; j < H; j++) out[to + j] = state[b * H + j];
  }
}

/**
 * out[(t*B + b)*G*H + j] = X[t, b, :] . W_d[j, :] + bias[j] for every step at once: one matrix
 * product instead of one per step. `bias` (length G*H) holds what the cell folds in up front.
 */
export function projectInputs(p: RecurrentProblem, xs: FloatArray, d: number, gates: number, bias: FloatArray, out: FloatArray): void {
  const rows = p.seqLength * p.batch;
  const n = gates * p.hidden;
  matmulTransposedB(rows, n, p.inputSize, xs, 0, p.w, d * n * p.inputSize, out, 0, p.wWeights);
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    for (let j = 0; j < n; j++) out[o + j] += bias[j];
  }
}

/** Wb + Rb of direction d for `width` gate values (all gates), or zeros without B. */
export function foldBiases(p: RecurrentProblem, d: number, width: number, bias: FloatArray): void {
  const wb = d * 2 * width;
  for (let j = 0; j < width; j++) bias[j] = p.b ? p.b[wb + j] + p.b[wb + width + j] : 0;
}

/**
 * The time index that step `s` of batch entry `b` processes (counted back from its sequence's end
 * when `reverse`), or -1 once that sequence has ended.
 */
export function stepTime(p: RecurrentProblem, s: number, b: number, reverse: boolean): number {
  const len = p.seqLens[b];
  if (s >= len) return -1;
  return reverse ? len - 1 - s : s;
}

/**
 * The gate pre-activations of step `s` for the whole batch: Ht-1*R^T of direction d (`width`
 * values per row) plus each running row's input projection (rows whose sequence ended keep the
 * product alone and are skipped by the caller).
 */
export function stepPreactivations(p: RecurrentProblem, d: number, s: number, reverse: boolean, width: number, h: FloatArray, proj: FloatArray, pre: FloatArray): void {
  const B = p.batch;
  matmulTransposedB(B, width, p.hidden, h, 0, p.r, d * width * p.hidden, pre, 0, p.rWeights);
  for (let b = 0; b < B; b++) {
    const t = stepTime(p, s, b, reverse);
    if (t < 0) continue;
    const g0 = b * width;
    const pr = (t * B + b) * width;
    for (let j = 0; j < width; j++) pre[g0 + j] += proj[pr + j];
  }
}
