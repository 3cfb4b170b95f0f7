/**
 * AffineGrid (opset 20): the sampling grid for GridSample from affine matrices theta
 * [N, 2, 3] (2-D) or [N, 3, 4] (3-D) and an output size [N, C, H, W] / [N, C, D, H, W].
 * grid[n, ..., :] = theta[n] @ [x, y(, z), 1] where x runs along W, y along H, z along D, each
 * over [-1, 1] at pixel corners (align_corners) or pixel centres.
 */
import { kernel, kernelFail } from '../../kernel';
import { intListInput } from './inputs';
import { floatInput } from '../common/inputs';
import { shapeText } from '../common/shape-text';

export interface AffineGridAttributes {
  readonly alignCorners: boolean;
}

export const affineGridKernel = kernel<AffineGridAttributes>({
  op: 'AffineGrid',
  attributes(attrs) {
    const a = attrs.int('align_corners', 0);
    if (a !== 0 && a !== 1) attrs.fail(`attribute "align_corners" is ${a}; expected 0 or 1`);
    return { alignCorners: a === 1 };
  },
  run(inputs, attrs, ctx) {
    const theta = floatInput(inputs, 0, 'theta', ctx);
    const size = intListInput(inputs, 1, 'size', ctx);
    if (size.length !== 4 && size.length !== 5) kernelFail(ctx, `input size must hold [N, C, H, W] or [N, C, D, H, W], got ${size.length} values`);
    if (size.some((d) => d < 0)) kernelFail(ctx, `input size [${size.join(', ')}] must not be negative`);
    const k = size.length - 2;
    const n = size[0];
    if (theta.shape.length !== 3 || theta.shape[0] !== n || theta.shape[1] !== k || theta.shape[2] !== k + 1) {
      kernelFail(ctx, `theta must be [N=${n}, ${k}, ${k + 1}] for size [${size.join(', ')}], got ${shapeText(theta.shape)}`);
    }
    const spatial = size.slice(2); // [H, W] or [D, H, W]
    const y = ctx.output(0, theta.dtype, [n, ...spatial, k]);
    // base coordinates per spatial axis
    const axes = spatial.map((len) => baseCoordinates(len, attrs.alignCorners));
    const points = spatial.reduce((a, b) => a * b, 1);
    const td = theta.data;
    const yd = y.data;
    const coord = new Float64Array(k + 1);
    coord[k] = 1;
    const pos = new Int32Array(k);
    for (let b = 0; b < n; b++) {
      const t0 = b * k * (k + 1);
      pos.fill(0);
      for (let p = 0; p < points; p++) {
        // coord = [x (innermost axis), y, (z)]
        for (let a = 0; a < k; a++) coord[a] = axes[k - 1 - a][pos[k - 1 - a]];
        const o = (b * points + p) * k;
        for (let r = 0; r < k; r++) {
          let s = 0;
          for (let c = 0; c <= k; c++) s += td[t0 + r * (k + 1) + c] * coord[c];
          yd[o + r] = s;
        }
        for (let a = k - 1; a >= 0; a--) {
          if (++pos[a] < spatial[a]) break;
          pos[a] = 0;
        }
      }
    }
    return y;
  },
});

function baseCoordinates(len: number, alignCorners: boolean): Float64Array {
  const out = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    out[i] = alignCorners ? (len === 1 ? -1 : -1 + (2 * i) / (len - 1)) : (2 * i + 1) / len - 1;
  }
  return out;
}
