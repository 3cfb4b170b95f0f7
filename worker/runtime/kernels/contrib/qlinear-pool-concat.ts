/**
 * QLinearGlobalAveragePool and QLinearConcat (com.microsoft), per-tensor parameters:
 *   QLinearGlobalAveragePool  Y[n, c] = sat(rne((sum(X[n, c, ...]) - x_zp * size) * x_s / (y_s * size)) + y_zp)
 *                             over [N, C, ...] (channels_last = 0) or [N, ..., C] (channels_last = 1)
 *   QLinearConcat             inputs Y_scale, Y_zero_point, then (X, X_scale, X_zero_point) per
 *                             input; each X requantized to Y's parameters (copied when they match)
 */
import { kernel, kernelFail } from '../../kernel';
import { normalizeAxis } from '../common/axes';
import { MICROSOFT_DOMAIN } from '../common/microsoft-domain';
import { shapeText } from '../common/shape-text';
import { qParams, quantizedInput, saturate } from './qlinear-params';

const fround = Math.fround;

interface PoolAttributes {
  readonly channelsLast: boolean;
}

export const qLinearGlobalAveragePoolKernel = kernel<PoolAttributes>({
  op: 'QLinearGlobalAveragePool',
  domain: MICROSOFT_DOMAIN,
  attributes(r) {
    const v = r.int('channels_last', 0);
    if (v !== 0 && v !== 1) r.fail(`attribute "channels_last" must be 0 or 1, got ${v}`);
    return { channelsLast: v === 1 };
  },
  run(inputs, attrs, ctx) {
    const x = quantizedInput(inputs, 0, 'X', ctx);
    if (x.rank < 3) kernelFail(ctx, `X must have rank >= 3 ([N, C, spatial...] or channels last), got ${shapeText(x.shape)}`);
    const px = qParams(inputs, 1, 'x', x.dtype, ctx);
    const py = qParams(inputs, 3, 'y', x.dtype, ctx);
    const n = x.shape[0];
    const c = attrs.channelsLast ? x.shape[x.rank - 1] : x.shape[1];
    const size = x.size / (n * c);
    const outShape = attrs.channelsLast ? [n, ...x.shape.slice(1, -1).map(() => 1), c] : [n, c, ...x.shape.slice(2).map(() => 1)];
    const y = ctx.output(0, x.dtype, outShape);
    const scale = fround(px.scale / fround(py.scale * size));
    const xd = x.data;
    for (let b = 0; b < n; b++) {
      for (let ch = 0; ch < c; ch++) {
        let sum = 0;
        if (attrs.channelsLast) for (let s = 0; s < size; s++) sum += xd[(b * size + s) * c + ch];
        else for (let s = 0, at = (b * c + ch) * size; s < size; s++) sum += xd[at + s];
        y.data[b * c + ch] = saturate(fround(fround(sum - px.zero * size) * scale), py.zero, x.dtype);
      }
    }
    return y;
  },
});

interface ConcatAttributes {
  readonly axis: number;
}

export const qLinearConcatKernel = kernel<ConcatAttributes>({
  op: 'QLinearConcat',
  domain: MICROSOFT_DOMAIN,
  attributes: (r) => ({ axis: r.int('axis') }),
  run(inputs, attrs, ctx) {
    const count = (inputs.length - 2) / 3;
    if (count < 1 || !Number.isInteger(count)) kernelFail(ctx, `inputs must be Y_scale, Y_zero_point and then (X, X_scale, X_zero_point) triples; got ${inputs.length} inputs`);
    const first = quantizedInput(inputs, 2, 'X0', ctx);
    const dtype = first.dtype;
    const py = qParams(inputs, 0, 'Y', dtype, ctx);
    const rank = first.rank;
    const axis = normalizeAxis(attrs.axis, rank, ctx);
    let total = 0;
    for (let t = 0; t < count; t++) {
      const x = quantizedInput(inputs, 2 + 3 * t, `X${t}`, ctx);
      if (x.dtype !== dtype || x.rank !== rank || x.shape.some((d, i) => i !== axis && d !== first.shape[i])) {
        kernelFail(ctx, `input X${t} ${x.dtype} ${shapeText(x.shape)} must be ${dtype} with X0's shape ${shapeText(first.shape)} except on axis ${axis}`);
      }
      total += x.shape[axis];
    }
    const outShape = first.shape.map((d, i) => (i === axis ? total : d));
    const y = ctx.output(0, dtype, outShape);
    const outer = first.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    const inner = first.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const rowOut = total * inner;
    let offset = 0;
    for (let t = 0; t < count; t++) {
      const x = inputs[2 + 3 * t]!;
      const px = qParams(inputs, 3 + 3 * t, `X${t}`, dtype, ctx);
      const same = px.scale === py.scale && px.zero === py.zero;
      const row = x.shape[axis] * inner;
      const xd = x.data as Uint8Array | Int8Array;
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < row; i++) {
          const v = xd[o * row + i];
          y.data[o * rowOut + offset + i] = same ? v : saturate(fround(fround(fround(v - px.zero) * px.scale) / py.scale), py.zero, dtype);
        }
      }
      offset += row;
    }
    return y;
  },
});
