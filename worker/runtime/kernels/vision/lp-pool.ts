/**
 * LpPool and GlobalLpPool: y = (sum over the window of |x|^p)^(1/p). Windows follow the shared
 * pooling arithmetic (kernel_shape, strides, pads / auto_pad, dilations and ceil_mode of opset
 * 18); padding contributes zeros, i.e. nothing to the sum.
 */
import type { AttributeReader } from '../../kernel';
import { kernel, kernelFail } from '../../kernel';
import { sizeOf, stridesOf } from '../../tensor';
import { readSpatial, resolveWindow, type SpatialAttributes } from '../conv/spatial';
import { floatInput } from '../common/inputs';
import { shapeText } from '../common/shape-text';

export interface LpPoolAttributes {
  readonly spatial: SpatialAttributes & { readonly kernelShape: readonly number[] };
  readonly ceilMode: boolean;
  readonly p: number;
}

function readP(attrs: AttributeReader): number {
  const p = attrs.float('p', 2);
  if (!(p > 0) || !Number.isFinite(p)) attrs.fail(`attribute "p" is ${p}; it must be a positive number (1 = L1, 2 = L2)`);
  return p;
}

/** |v|^p with the common cases exact and fast. */
function powAbs(v: number, p: number): number {
  const a = Math.abs(v);
  return p === 1 ? a : p === 2 ? a * a : a ** p;
}

function root(s: number, p: number): number {
  return p === 1 ? s : p === 2 ? Math.sqrt(s) : s ** (1 / p);
}

export const lpPoolKernel = kernel<LpPoolAttributes>({
  op: 'LpPool',
  attributes(attrs) {
    const spatial = readSpatial(attrs, true) as LpPoolAttributes['spatial'];
    const ceil = attrs.int('ceil_mode', 0);
    if (ceil !== 0 && ceil !== 1) attrs.fail(`attribute "ceil_mode" is ${ceil}; expected 0 or 1`);
    return { spatial, ceilMode: ceil === 1, p: readP(attrs) };
  },
  run(inputs, attrs, ctx) {
    const x = floatInput(inputs, 0, 'X', ctx);
    if (x.shape.length < 3) kernelFail(ctx, `X must be [N, C, D1, ...], got ${shapeText(x.shape)}`);
    const inSize = x.shape.slice(2);
    const w = resolveWindow(attrs.spatial, inSize, attrs.spatial.kernelShape, attrs.ceilMode, ctx);
    const [n, c] = x.shape;
    const y = ctx.output(0, x.dtype, [n, c, ...w.outSize]);
    const k = inSize.length;
    const inPlane = sizeOf(inSize);
    const outPlane = sizeOf(w.outSize);
    const inStrides = stridesOf(inSize);
    const taps = sizeOf(w.kernel);
    const outPos = new Int32Array(k);
    const tap = new Int32Array(k);
    const xd = x.data;
    const yd = y.data;
    for (let o = 0; o < outPlane; o++) {
      for (let nc = 0; nc < n * c; nc++) {
        const base = nc * inPlane;
        let sum = 0;
        tap.fill(0);
        for (let t = 0; t < taps; t++) {
          let off = base;
          for (let a = 0; a < k; a++) {
            const i = outPos[a] * w.strides[a] - w.padsBegin[a] + tap[a] * w.dilations[a];
            if (i < 0 || i >= inSize[a]) {
              off = -1;
              break;
            }
            off += i * inStrides[a];
          }
          if (off >= 0) sum += powAbs(xd[off], attrs.p);
          for (let a = k - 1; a >= 0; a--) {
            if (++tap[a] < w.kernel[a]) break;
            tap[a] = 0;
          }
        }
        yd[nc * outPlane + o] = root(sum, attrs.p);
      }
      for (let a = k - 1; a >= 0; a--) {
        if (++outPos[a] < w.outSize[a]) break;
        outPos[a] = 0;
      }
    }
    return y;
  },
});

export interface GlobalLpPoolAttributes {
  readonly p: number;
}

export const globalLpPoolKernel = kernel<GlobalLpPoolAttributes>({
  op: 'GlobalLpPool',
  attributes(attrs) {
    return { p: readP(attrs) };
  },
  run(inputs, attrs, ctx) {
    const x = floatInput(inputs, 0, 'X', ctx);
    if (x.shape.length < 3) kernelFail(ctx, `X must be [N, C, D1, ...], got ${shapeText(x.shape)}`);
    const [n, c] = x.shape;
    const y = ctx.output(0, x.dtype, [n, c, ...x.shape.slice(2).map(() => 1)]);
    const plane = sizeOf(x.shape.slice(2));
    for (let nc = 0; nc < n * c; nc++) {
      let sum = 0;
      for (let i = nc * plane, end = i + plane; i < end; i++) sum += powAbs(x.data[i], attrs.p);
      y.data[nc] = root(sum, attrs.p);
    }
    return y;
  },
});
