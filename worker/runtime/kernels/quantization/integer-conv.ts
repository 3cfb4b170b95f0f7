/**
 * The integer convolution under ConvInteger and QLinearConv (1-D to 3-D, groups, strides,
 * dilations, pads): int32 accumulators of (x - x_zero_point) * (w - w_zero_point[m]), where a
 * padded position contributes nothing (it holds the zero point). Plain JavaScript loops.
 */
import { kernelFail, type KernelContext } from '../../kernel';
import type { NumericArray, Tensor } from '../../tensor';
import { resolveWindow, type SpatialAttributes, type Window3d } from '../conv/spatial';

export interface IntegerConvPlan {
  readonly outShape: readonly number[];
  readonly outChannels: number;
  /** output elements per (sample, channel) */
  readonly spatialSize: number;
}

export function planIntegerConv(
  x: Tensor,
  w: Tensor,
  attrs: SpatialAttributes,
  group: number,
  ctx: Pick<KernelContext, 'node'>,
): IntegerConvPlan & { win: Window3d } {
  if (x.rank < 3 || x.rank > 5) kernelFail(ctx, `input x must be [N, C, D1 (, D2, D3)], got [${x.shape.join(', ')}]`);
  if (w.rank !== x.rank) kernelFail(ctx, `input w of shape [${w.shape.join(', ')}] must have x's rank ${x.rank}`);
  const [n, c] = x.shape;
  const m = w.shape[0];
  if (c % group !== 0 || m % group !== 0) kernelFail(ctx, `group = ${group} must divide the ${c} input and ${m} output channels`);
  if (w.shape[1] * group !== c) kernelFail(ctx, `w has ${w.shape[1]} input channels per group; x's ${c} channels in ${group} group(s) need ${c / group}`);
  const kernelShape = w.shape.slice(2);
  if (attrs.kernelShape && attrs.kernelShape.some((k, i) => k !== kernelShape[i])) {
    kernelFail(ctx, `kernel_shape [${attrs.kernelShape.join(', ')}] does not match w's spatial shape [${kernelShape.join(', ')}]`);
  }
  const window = resolveWindow(attrs, x.shape.slice(2), kernelShape, false, ctx);
  const outShape = [n, m, ...window.outSize];
  const spatialSize = window.outSize.reduce((s, d) => s * d, 1);
  return { outShape, outChannels: m, spatialSize, win: window.lifted };
}

/** Accumulators for every output element into `out` (plan.outShape, row-major). */
export function integerConv(
  x: Tensor & { data: NumericArray },
  xZero: number,
  w: Tensor & { data: NumericArray },
  wZero: (m: number) => number,
  group: number,
  plan: ReturnType<typeof planIntegerConv>,
  out: Int32Array,
): void {
  const [batch, channels] = x.shape;
  const { k, s, d, p, inp, out: os } = plan.win;
  const m = plan.outChannels;
  const cPerGroup = channels / group;
  const mPerGroup = m / group;
  const inPlane = inp[0] * inp[1] * inp[2];
  const kSize = k[0] * k[1] * k[2];
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let oc = 0; oc < m; oc++) {
      const g = Math.floor(oc / mPerGroup);
      const wz = wZero(oc);
      for (let z = 0; z < os[0]; z++) {
        for (let y = 0; y < os[1]; y++) {
          for (let xo = 0; xo < os[2]; xo++) {
            let acc = 0;
            for (let ci = 0; ci < cPerGroup; ci++) {
              const xBase = (b * channels + g * cPerGroup + ci) * inPlane;
              const wBase = (oc * cPerGroup + ci) * kSize;
              for (let kz = 0; kz < k[0]; kz++) {
                const iz = z * s[0] - p[0] + kz * d[0];
                if (iz < 0 || iz >= inp[0]) continue;
                for (let ky = 0; ky < k[1]; ky++) {
                  const iy = y * s[1] - p[1] + ky * d[1];
                  if (iy < 0 || iy >= inp[1]) continue;
                  for (let kx = 0; kx < k[2]; kx++) {
                    const ix = xo * s[2] - p[2] + kx * d[2];
                    if (ix < 0 || ix >= inp[2]) continue;
                    const xv = x.data[xBase + (iz * inp[1] + iy) * inp[2] + ix] - xZero;
                    const wv = w.data[wBase + (kz * k[1] + ky) * k[2] + kx] - wz;
                    acc = (acc + xv * wv) | 0;
                  }
                }
              }
            }
            out[o++] = acc;
          }
        }
      }
    }
  }
}

/** A per-output-channel parameter: a scalar / one-element tensor, or one value per channel. */
export function perChannel(t: Tensor & { data: NumericArray }, channels: number, name: string, ctx: Pick<KernelContext, 'node'>): (m: number) => number {
  if (t.size === 1) {
    const v = t.data[0];
    return () => v;
  }
  if (t.rank === 1 && t.size === channels) return (m) => t.data[m];
  kernelFail(ctx, `input ${name} of shape [${t.shape.join(', ')}] must be a scalar or have one value per output channel (${channels})`);
}
