/**
 * GridSample (opset 16, N-D from opset 20): samples X [N, C, D1..Dk] at the normalized
 * coordinates of grid [N, O1..Ok, k] (last axis ordered x, y[, z], i.e. innermost axis first).
 * Interpolation is separable: every spatial axis contributes 1 (nearest), 2 (linear) or
 * 4 (cubic) taps, each an (index, weight) pair with padding resolved per axis, and the output
 * is the sum over the product of taps. This matches the ONNX reference, whose nested 1-D
 * interpolation is the same sum.
 */
import { kernel, kernelFail } from '../../kernel';
import { sizeOf, stridesOf } from '../../tensor';
import { floatInput } from '../common/inputs';
import { shapeText } from '../common/shape-text';

export type GridSampleMode = 'linear' | 'nearest' | 'cubic';
export type GridPaddingMode = 'zeros' | 'border' | 'reflection';

export interface GridSampleAttributes {
  readonly mode: GridSampleMode;
  readonly paddingMode: GridPaddingMode;
  readonly alignCorners: boolean;
}

const CUBIC_ALPHA = -0.75;

export const gridSampleKernel = kernel<GridSampleAttributes>({
  op: 'GridSample',
  attributes(attrs, opset) {
    // opset 20 renamed bilinear -> linear and bicubic -> cubic
    const mode =
      opset >= 20
        ? attrs.oneOf('mode', ['linear', 'nearest', 'cubic'] as const, 'linear')
        : ({ bilinear: 'linear', nearest: 'nearest', bicubic: 'cubic' } as const)[
            attrs.oneOf('mode', ['bilinear', 'nearest', 'bicubic'] as const, 'bilinear')
          ];
    const paddingMode = attrs.oneOf('padding_mode', ['zeros', 'border', 'reflection'] as const, 'zeros');
    const alignCorners = attrs.int('align_corners', 0);
    if (alignCorners !== 0 && alignCorners !== 1) attrs.fail(`attribute "align_corners" is ${alignCorners}; expected 0 or 1`);
    return { mode, paddingMode, alignCorners: alignCorners === 1 };
  },
  run(inputs, attrs, ctx) {
    const x = floatInput(inputs, 0, 'X', ctx);
    const grid = floatInput(inputs, 1, 'grid', ctx);
    const k = x.shape.length - 2;
    if (k < 1) kernelFail(ctx, `input X must be [N, C, D1, ...], got ${shapeText(x.shape)}`);
    if (ctx.opset < 20 && k !== 2) kernelFail(ctx, `before opset 20 GridSample takes 4-D X [N, C, H, W], got ${shapeText(x.shape)}`);
    if (attrs.mode === 'cubic' && k !== 2) kernelFail(ctx, `cubic mode supports 2 spatial axes only, X is ${shapeText(x.shape)}`);
    if (grid.shape.length !== k + 2 || grid.shape[0] !== x.shape[0] || grid.shape[k + 1] !== k) {
      kernelFail(ctx, `grid must be [N=${x.shape[0]}, ${Array.from({ length: k }, (_, i) => `O${i + 1}`).join(', ')}, ${k}] for X ${shapeText(x.shape)}, got ${shapeText(grid.shape)}`);
    }
    const [n, c] = x.shape;
    const dims = x.shape.slice(2);
    const outSpatial = grid.shape.slice(1, k + 1);
    const y = ctx.output(0, x.dtype, [n, c, ...outSpatial]);
    const points = sizeOf(outSpatial);
    const inPlane = sizeOf(dims);
    const strides = stridesOf(dims);
    const tapCount = attrs.mode === 'nearest' ? 1 : attrs.mode === 'linear' ? 2 : 4;
    // per axis: tap offsets into the plane (-1 = outside, reads 0) and weights
    const idx = Array.from({ length: k }, () => new Int32Array(tapCount));
    const wts = Array.from({ length: k }, () => new Float64Array(tapCount));
    const counter = new Int32Array(k);
    const combos = tapCount ** k;
    const xd = x.data;
    const gd = grid.data;
    const yd = y.data;
    for (let b = 0; b < n; b++) {
      for (let p = 0; p < points; p++) {
        const g = (b * points + p) * k;
        for (let a = 0; a < k; a++) {
          // grid's last axis lists the innermost spatial axis first
          const size = dims[a];
          const coord = denormalize(gd[g + (k - 1 - a)], size, attrs.alignCorners);
          axisTaps(coord, size, attrs, idx[a], wts[a]);
          for (let t = 0; t < tapCount; t++) if (idx[a][t] >= 0) idx[a][t] *= strides[a];
        }
        for (let ch = 0; ch < c; ch++) {
          const base = (b * c + ch) * inPlane;
          let sum = 0;
          counter.fill(0);
          for (let combo = 0; combo < combos; combo++) {
            let off = base;
            let w = 1;
            for (let a = 0; a < k; a++) {
              const i = idx[a][counter[a]];
              if (i < 0) {
                w = 0;
                break;
              }
              off += i;
              w *= wts[a][counter[a]];
            }
            if (w !== 0) sum += w * xd[off];
            for (let a = k - 1; a >= 0; a--) {
              if (++counter[a] < tapCount) break;
              counter[a] = 0;
            }
          }
          yd[(b * c + ch) * points + p] = sum;
        }
      }
    }
    return y;
  },
});

function denormalize(v: number, size: number, alignCorners: boolean): number {
  return alignCorners ? ((v + 1) / 2) * (size - 1) : ((v + 1) * size - 1) / 2;
}

/** Reflects x into [lo, hi] (the ONNX reference's _gs_reflect). */
export function reflect(x: number, lo: number, hi: number): number {
  const range = hi - lo;
  if (range <= 0) return lo;
  if (x < lo) {
    const dx = lo - x;
    const n = Math.trunc(dx / range);
    const r = dx - n * range;
    return n % 2 === 0 ? lo + r : hi - r;
  }
  if (x > hi) {
    const dx = x - hi;
    const n = Math.trunc(dx / range);
    const r = dx - n * range;
    return n % 2 === 0 ? hi - r : lo + r;
  }
  return x;
}

/** numpy's rint: round half to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function axisTaps(coord: number, size: number, attrs: GridSampleAttributes, idx: Int32Array, wts: Float64Array): void {
  const lo = attrs.alignCorners ? 0 : -0.5;
  const hi = attrs.alignCorners ? size - 1 : size - 0.5;
  let v = attrs.mode === 'nearest' ? roundHalfEven(coord) : coord;
  if (v < lo || v > hi) {
    if (attrs.paddingMode === 'border') v = Math.min(Math.max(v, 0), size - 1);
    else if (attrs.paddingMode === 'reflection') v = reflect(v, lo, hi);
  }
  const pixel = (i: number): number => {
    if (attrs.paddingMode === 'zeros') return i >= 0 && i < size ? i : -1;
    if (attrs.paddingMode === 'border') return Math.min(Math.max(i, 0), size - 1);
    return Math.trunc(reflect(i, lo, hi));
  };
  if (attrs.mode === 'nearest') {
    idx[0] = pixel(Math.trunc(v));
    wts[0] = 1;
    return;
  }
  const x0 = Math.floor(v);
  const t = v - x0;
  if (attrs.mode === 'linear') {
    idx[0] = pixel(x0);
    idx[1] = pixel(x0 + 1);
    wts[0] = 1 - t;
    wts[1] = t;
    return;
  }
  const a = CUBIC_ALPHA;
  wts[0] = ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a;
  wts[1] = ((a + 2) * t - (a + 3)) * t * t + 1;
  wts[2] = ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1;
  wts[3] = ((a * (2 - t) - 5 * a) * (2 - t) + 8 * a) * (2 - t) - 4 * a;
  for (let i = 0; i < 4; i++) idx[i] = pixel(x0 - 1 + i);
}
