/**
 * MaxPool (with the optional int64 Indices output, storage_order, dilations, ceil_mode) and
 * AveragePool (count_include_pad, ceil_mode, dilations), over 1 to 3 spatial axes. Windows and
 * divisors follow onnxruntime: with count_include_pad the divisor counts the padded window, clipped
 * to the end padding (a ceil_mode overhang is not counted).
 */
import { kernel, kernelFail, required, type AttributeReader, type PlanContext, type PlanInput } from '../../kernel';
import type { NumericArray } from '../../tensor';
import { wasmKernels } from '../../wasm';
import { maxPoolPlanesWasm, maxPoolWasm, maxPoolWasmSupports } from './pool-wasm';
import { readSpatial, windowFor, type PlaneWindow, type SpatialAttributes, type Window } from './spatial';
import { wantsOutput } from '../common/work-buffers';

const MAXPOOL_TYPES = new Set(['float32', 'float64', 'int8', 'uint8']);
const AVGPOOL_TYPES = new Set(['float32', 'float64']);

export interface PoolAttributes extends SpatialAttributes {
  readonly kernelShape: readonly number[];
  readonly ceilMode: boolean;
}
export interface MaxPoolAttributes extends PoolAttributes {
  readonly storageOrder: 0 | 1;
}
export interface AveragePoolAttributes extends PoolAttributes {
  readonly countIncludePad: boolean;
}

function readPool(r: AttributeReader): PoolAttributes {
  const spatial = readSpatial(r, true);
  const ceil = r.int('ceil_mode', 0);
  if (ceil !== 0 && ceil !== 1) r.fail(`attribute "ceil_mode" must be 0 or 1 (got ${ceil})`);
  return { ...spatial, kernelShape: spatial.kernelShape!, ceilMode: ceil === 1 };
}

/** A pool's plan: the resolved window and the output shape. */
export interface PoolPlan {
  readonly win: Window;
  readonly outShape: readonly number[];
}

function planPool(inputs: ReadonlyArray<PlanInput | undefined>, attrs: PoolAttributes, types: Set<string>, ctx: PlanContext): PoolPlan {
  const x = required(inputs, 0, ctx);
  if (!types.has(x.dtype)) kernelFail(ctx, `dtype ${x.dtype} is not supported (supported: ${[...types].join(', ')})`);
  if (x.shape.length < 3 || x.shape.length > 5) kernelFail(ctx, `X must be [N, C, ...spatial] with 1 to 3 spatial axes; got shape [${x.shape.join(', ')}]`);
  const win = windowFor(attrs, x.shape, attrs.kernelShape, 0, attrs.ceilMode, ctx);
  return { win, outShape: [x.shape[0], x.shape[1], ...win.outSize] };
}

export const maxPoolKernel = kernel<MaxPoolAttributes, PoolPlan>({
  op: 'MaxPool',
  attributes: (r) => {
    const order = r.int('storage_order', 0);
    if (order !== 0 && order !== 1) r.fail(`attribute "storage_order" must be 0 (row major) or 1 (column major); got ${order}`);
    return { ...readPool(r), storageOrder: order as 0 | 1 };
  },
  plan: (inputs, attrs, ctx) => planPool(inputs, attrs, MAXPOOL_TYPES, ctx),
  run(inputs, attrs, ctx, { win, outShape }) {
    const x = inputs[0]!;
    const y = ctx.output(0, x.dtype, outShape);
    const wantIndices = wantsOutput(ctx, 1);
    const indices = wantIndices ? ctx.output(1, 'int64', outShape) : null;
    const channels = x.shape[0] * x.shape[1];
    if (indices === null && x.dtype === 'float32' && win.plane !== null) {
      maxPoolFloat32(x.data as Float32Array, y.data as Float32Array, channels, win);
    } else {
      maxPool(x.data as NumericArray, y.data as NumericArray, indices?.data ?? null, channels, win, attrs.storageOrder);
    }
    return indices ? ctx.results(y, indices) : y;
  },
});

/**
 * MaxPool of `channels` float32 planes through a 1-D or 2-D window (`win.plane` not null), in
 * WebAssembly when the kernels are installed (also a ConvChain's pool stages, conv-chain.ts).
 */
export function maxPoolFloat32(X: Float32Array, Y: Float32Array, channels: number, win: Window): void {
  const plane = win.plane;
  if (plane === null) throw new Error('maxPoolFloat32 pools 1-D and 2-D windows only; check win.plane first');
  const wk = wasmKernels();
  if (wk === null) maxPoolPlanes(X, Y, channels, plane);
  else if (maxPoolWasmSupports(win)) maxPoolWasm(wk, X, Y, channels, win);
  else maxPoolPlanesWasm(wk, X, Y, channels, plane);
}

export const averagePoolKernel = kernel<AveragePoolAttributes, PoolPlan>({
  op: 'AveragePool',
  attributes: (r) => {
    const cip = r.int('count_include_pad', 0);
    if (cip !== 0 && cip !== 1) r.fail(`attribute "count_include_pad" must be 0 or 1 (got ${cip})`);
    return { ...readPool(r), countIncludePad: cip === 1 };
  },
  plan: (inputs, attrs, ctx) => planPool(inputs, attrs, AVGPOOL_TYPES, ctx),
  run(inputs, attrs, ctx, { win, outShape }) {
    const x = inputs[0]!;
    const y = ctx.output(0, x.dtype, outShape);
    const channels = x.shape[0] * x.shape[1];
    if (win.plane !== null) averagePoolPlanes(x.data as NumericArray, y.data as NumericArray, channels, win.plane, attrs.countIncludePad);
    else averagePool(x.data as NumericArray, y.data as NumericArray, channels, win, attrs.countIncludePad);
    return y;
  },
});

/**
 * The common case (float32, 1-D or 2-D, no Indices) without per-element bounds checks: each
 * window's rows and columns are clipped to the image once. Same result as maxPool, NaN included: a
 * window's first element is taken as is, later ones replace it only when greater.
 */
function maxPoolPlanes(X: Float32Array, Y: Float32Array, channels: number, plane: PlaneWindow): void {
  const { H, W, OH, OW, KH, KW, SH, SW, DH, DW, PH, PW } = plane;
  const simple = KH === 2 && KW === 2 && DH === 1 && DW === 1 && PH === 0 && PW === 0 && (OH - 1) * SH + 2 <= H && (OW - 1) * SW + 2 <= W;
  let o = 0;
  for (let ch = 0; ch < channels; ch++) {
    const xb = ch * H * W;
    for (let oy = 0; oy < OH; oy++) {
      const y0 = oy * SH - PH;
      if (simple) {
        let r0 = xb + y0 * W;
        const end = o + OW;
        for (; o < end; o++, r0 += SW) {
          let best = X[r0];
          const b = X[r0 + 1];
          const c = X[r0 + W];
          const d = X[r0 + W + 1];
          if (b > best) best = b;
          if (c > best) best = c;
          if (d > best) best = d;
          Y[o] = best;
        }
        continue;
      }
      const kyFrom = y0 >= 0 ? 0 : Math.ceil(-y0 / DH);
      const kyTo = Math.min(KH, Math.ceil((H - y0) / DH));
      for (let ox = 0; ox < OW; ox++, o++) {
        const x0 = ox * SW - PW;
        const kxFrom = x0 >= 0 ? 0 : Math.ceil(-x0 / DW);
        const kxTo = Math.min(KW, Math.ceil((W - x0) / DW));
        let best = -Infinity;
        let first = true;
        for (let ky = kyFrom; ky < kyTo; ky++) {
          const line = xb + (y0 + ky * DH) * W + x0;
          for (let kx = kxFrom; kx < kxTo; kx++) {
            const v = X[line + kx * DW];
            if (first || v > best) {
              best = v;
              first = false;
            }
          }
        }
        Y[o] = best;
      }
    }
  }
}

function maxPool(X: NumericArray, Y: NumericArray, I: BigInt64Array | null, channels: number, win: Window, storageOrder: 0 | 1): void {
  const { k, s, d, p, inp, out } = win.lifted;
  const [I0, I1, I2] = inp;
  const inP = I0 * I1 * I2;
  const outP = out[0] * out[1] * out[2];
  // flat index multipliers for the Indices output, per lifted axis
  const mult = storageOrder === 0 ? [I1 * I2, I2, 1] : [1, I0, I0 * I1];
  for (let ch = 0; ch < channels; ch++) {
    const xb = ch * inP;
    let o = ch * outP;
    for (let o0 = 0; o0 < out[0]; o0++) {
      const s0 = o0 * s[0] - p[0];
      for (let o1 = 0; o1 < out[1]; o1++) {
        const s1 = o1 * s[1] - p[1];
        for (let o2 = 0; o2 < out[2]; o2++, o++) {
          const s2 = o2 * s[2] - p[2];
          let best = -Infinity;
          let at = -1;
          for (let k0 = 0, x0 = s0; k0 < k[0]; k0++, x0 += d[0]) {
            if (x0 < 0 || x0 >= I0) continue;
            for (let k1 = 0, x1 = s1; k1 < k[1]; k1++, x1 += d[1]) {
              if (x1 < 0 || x1 >= I1) continue;
              const line = (x0 * I1 + x1) * I2;
              for (let k2 = 0, x2 = s2; k2 < k[2]; k2++, x2 += d[2]) {
                if (x2 < 0 || x2 >= I2) continue;
                const v = X[xb + line + x2];
                if (at < 0 || v > best) {
                  best = v;
                  at = x0 * mult[0] + x1 * mult[1] + x2 * mult[2];
                }
              }
            }
          }
          Y[o] = best;
          if (I) I[o] = BigInt(at < 0 ? -1 : xb + at);
        }
      }
    }
  }
}

/**
 * AveragePool over 1-D and 2-D windows: each window's rows and columns clipped to the image once
 * (no per-element bounds checks, no per-call closures). The same sums, in the same order and
 * precision, and the same divisors as averagePool.
 */
function averagePoolPlanes(X: NumericArray, Y: NumericArray, channels: number, plane: PlaneWindow, countIncludePad: boolean): void {
  const { H, W, OH, OW, KH, KW, SH, SW, DH, DW, PH, PW, PEH, PEW } = plane;
  let o = 0;
  for (let ch = 0; ch < channels; ch++) {
    const xb = ch * H * W;
    for (let oy = 0; oy < OH; oy++) {
      const y0 = oy * SH - PH;
      const kyFrom = y0 >= 0 ? 0 : Math.ceil(-y0 / DH);
      const kyTo = Math.min(KH, Math.ceil((H - y0) / DH));
      // window rows counting the padding, clipped to the end padding
      const paddedRows = 1 + Math.floor((Math.min(y0 + KH * DH, H + PEH) - y0 - 1) / DH);
      for (let ox = 0; ox < OW; ox++, o++) {
        const x0 = ox * SW - PW;
        const kxFrom = x0 >= 0 ? 0 : Math.ceil(-x0 / DW);
        const kxTo = Math.min(KW, Math.ceil((W - x0) / DW));
        if (kyFrom >= kyTo || kxFrom >= kxTo) {
          Y[o] = 0;
          continue;
        }
        let sum = 0;
        for (let ky = kyFrom; ky < kyTo; ky++) {
          const line = xb + (y0 + ky * DH) * W + x0;
          for (let kx = kxFrom; kx < kxTo; kx++) sum += X[line + kx * DW];
        }
        if (countIncludePad) {
          const paddedCols = 1 + Math.floor((Math.min(x0 + KW * DW, W + PEW) - x0 - 1) / DW);
          Y[o] = sum / (paddedRows * paddedCols);
        } else {
          Y[o] = sum / ((kyTo - kyFrom) * (kxTo - kxFrom));
        }
      }
    }
  }
}

function averagePool(X: NumericArray, Y: NumericArray, channels: number, win: Window, countIncludePad: boolean): void {
  const { k, s, d, p, pe, inp, out } = win.lifted;
  const [I0, I1, I2] = inp;
  const inP = I0 * I1 * I2;
  const outP = out[0] * out[1] * out[2];
  /** window elements along one axis, padding included, clipped to the end padding */
  const padded = (start: number, axis: number): number => {
    const end = Math.min(start + k[axis] * d[axis], inp[axis] + pe[axis]);
    return 1 + Math.floor((end - start - 1) / d[axis]);
  };
  for (let ch = 0; ch < channels; ch++) {
    const xb = ch * inP;
    let o = ch * outP;
    for (let o0 = 0; o0 < out[0]; o0++) {
      const s0 = o0 * s[0] - p[0];
      for (let o1 = 0; o1 < out[1]; o1++) {
        const s1 = o1 * s[1] - p[1];
        for (let o2 = 0; o2 < out[2]; o2++, o++) {
          const s2 = o2 * s[2] - p[2];
          let sum = 0;
          let count = 0;
          for (let k0 = 0, x0 = s0; k0 < k[0]; k0++, x0 += d[0]) {
            if (x0 < 0 || x0 >= I0) continue;
            for (let k1 = 0, x1 = s1; k1 < k[1]; k1++, x1 += d[1]) {
              if (x1 < 0 || x1 >= I1) continue;
              const line = xb + (x0 * I1 + x1) * I2;
              for (let k2 = 0, x2 = s2; k2 < k[2]; k2++, x2 += d[2]) {
                if (x2 < 0 || x2 >= I2) continue;
                sum += X[line + x2];
                count++;
              }
            }
          }
          if (count === 0) Y[o] = 0;
          else if (countIncludePad) Y[o] = sum / (padded(s0, 0) * padded(s1, 1) * padded(s2, 2));
          else Y[o] = sum / count;
        }
      }
    }
  }
}

/** GlobalAveragePool / GlobalMaxPool: one value per (image, channel) over all spatial axes. */
function globalPool(op: 'GlobalAveragePool' | 'GlobalMaxPool') {
  return kernel<undefined, { channels: number; size: number; outShape: readonly number[] }>({
    op,
    plan(inputs, _attrs, ctx) {
      const x = required(inputs, 0, ctx);
      if (!AVGPOOL_TYPES.has(x.dtype)) kernelFail(ctx, `dtype ${x.dtype} is not supported (supported: ${[...AVGPOOL_TYPES].join(', ')})`);
      if (x.shape.length < 3) kernelFail(ctx, `X must be [N, C, ...spatial]; got shape [${x.shape.join(', ')}]`);
      const spatial = x.shape.slice(2);
      return { channels: x.shape[0] * x.shape[1], size: spatial.reduce((a, v) => a * v, 1), outShape: [x.shape[0], x.shape[1], ...spatial.map(() => 1)] };
    },
    run(inputs, _attrs, ctx, { channels, size, outShape }) {
      const x = inputs[0]!;
      const y = ctx.output(0, x.dtype, outShape);
      const X = x.data as NumericArray;
      const Y = y.data as NumericArray;
      for (let ch = 0; ch < channels; ch++) {
        const b = ch * size;
        if (op === 'GlobalMaxPool') {
          let m = -Infinity;
          for (let i = 0; i < size; i++) if (X[b + i] > m || Number.isNaN(X[b + i])) m = X[b + i];
          Y[ch] = m;
        } else {
          let sum = 0;
          for (let i = 0; i < size; i++) sum += X[b + i];
          Y[ch] = sum / size;
        }
      }
      return y;
    },
  });
}

export const globalAveragePoolKernel = globalPool('GlobalAveragePool');
export const globalMaxPoolKernel = globalPool('GlobalMaxPool');
