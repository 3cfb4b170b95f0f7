/**
 * Conv (1-D, 2-D, 3-D; groups, dilations, strides, pads, auto_pad) as a GEMM per group:
 *
 *   rows[n*P + p][c*K + kk] = the input value under kernel offset kk at output position p (im2row)
 *   Y^T[n*P + p][m]          = rows · W_g^T + bias         (W_g: the group's filters, M_g x C_g*K)
 *
 * so that the filters, a constant, are the GEMM's packed B, and every image of the batch shares one
 * GEMM call. A 1x1 convolution without padding or stride skips im2row (the input already is A^T).
 * Depthwise convolutions (group == channels) run as direct loops instead (depthwise.ts). With the
 * WebAssembly kernels installed, 1-D and 2-D convolutions run in the module (conv-wasm.ts,
 * depthwise.ts), with the filters copied into its memory once per plan.
 */
import { kernel, kernelFail, type KernelContext } from '../../kernel';
import { sizeOf, span, type Tensor } from '../../tensor';
import { readFusedClip, type FusedClip } from '../common/fused-activation';
import { gemm, GemmCallOptions, PackedWeights, packedWeightsFor, type WeightedPlan } from '../linalg/gemm';
import { wasmKernels } from '../../wasm';
import { WasmFilters } from './conv-exports';
import { convWasm, convWasmSupports } from './conv-wasm';
import { depthwiseJs, depthwisePlane, depthwiseWasm } from './depthwise';
import { convOperands, readGroup, readSpatial, windowFor, type SpatialAttributes, type Window } from './spatial';
import { outputLikeFirstInput } from '../common/planned-output';

export interface ConvAttributes extends SpatialAttributes {
  readonly group: number;
  readonly activation?: FusedClip;
}

export interface ConvPlan extends WeightedPlan {
  readonly win: Window;
  /** W's copy in the WebAssembly kernels' memory, when W is a weight */
  readonly filters: WasmFilters | null;
}

export const convKernel = kernel<ConvAttributes, ConvPlan>({
  op: 'Conv',
  attributes: (r) => ({ ...readSpatial(r, false), group: readGroup(r), activation: readFusedClip(r) }),
  outputs: outputLikeFirstInput,
  plan(inputs, attrs, ctx, previous) {
    const { x, w, b } = convOperands(inputs, ctx);
    const rank = x.shape.length;
    if (w.shape.length !== rank) kernelFail(ctx, `W has shape [${w.shape.join(', ')}]; for X [${x.shape.join(', ')}] it must be [M, C/group, ...kernel] (rank ${rank})`);
    const n = x.shape[0];
    const c = x.shape[1];
    const m = w.shape[0];
    const g = attrs.group;
    if (c % g !== 0 || m % g !== 0) kernelFail(ctx, `group=${g} must divide the input channels (${c}) and the filter count (${m})`);
    if (w.shape[1] !== c / g) kernelFail(ctx, `W has ${w.shape[1]} input channels per filter but X has ${c} channels in ${g} group(s) (${c / g} per group)`);
    if (b && (b.shape.length !== 1 || b.shape[0] !== m)) kernelFail(ctx, `B must have shape [${m}] (one bias per filter); got [${b.shape.join(', ')}]`);
    const ks = attrs.kernelShape;
    if (ks && !kernelShapeMatches(ks, w.shape)) {
      kernelFail(ctx, `kernel_shape [${ks.join(', ')}] does not match W's spatial shape [${w.shape.slice(2).join(', ')}]`);
    }
    const win = windowFor(attrs, x.shape, w.shape, 2, false, ctx);
    const filters = w.value === undefined ? null : previous?.filters ?? new WasmFilters();
    return { win, outShape: [n, m, ...win.outSize], weights: packedWeightsFor(w, previous?.weights), filters };
  },
  run(inputs, attrs, ctx, plan) {
    const x = inputs[0] as Tensor<'float32'>;
    const w = inputs[1] as Tensor<'float32'>;
    const y = ctx.output(0, 'float32', plan.outShape);
    convFloat32(x, w, inputs[2] as Tensor<'float32'> | undefined, y, plan.win, attrs.group, ctx, attrs.activation, plan.weights, plan.filters);
    return y;
  },
});

/** kernel_shape equals W's spatial dims (W is [M, C/group, ...kernel]). */
function kernelShapeMatches(ks: readonly number[], wShape: readonly number[]): boolean {
  if (ks.length !== wShape.length - 2) return false;
  for (let i = 0; i < ks.length; i++) if (ks[i] !== wShape[i + 2]) return false;
  return true;
}

/** Options records for the JavaScript path's GEMM calls (gemm() does not keep them). */
const GEMM_OPTIONS = new GemmCallOptions();

export function convFloat32(
  x: Tensor<'float32'>, w: Tensor<'float32'>, b: Tensor<'float32'> | undefined, y: Tensor<'float32'>,
  win: Window, groups: number, ctx: KernelContext, activation?: { min: number; max: number }, weights: PackedWeights | null = null,
  filters: WasmFilters | null = null,
): void {
  const wk = wasmKernels();
  const c = x.shape[1];
  const depthwise = depthwisePlane(c, groups, win);
  if (depthwise !== null) {
    const lo = activation?.min ?? -Infinity;
    const hi = activation?.max ?? Infinity;
    if (wk !== null) depthwiseWasm(wk, x, w, b, y, depthwise, lo, hi, filters);
    else depthwiseJs(x, w, b, y, depthwise, lo, hi);
    return;
  }
  if (wk !== null && convWasmSupports(win)) {
    convWasm(wk, x, w, b, y, win, groups, activation, filters, weights);
    return;
  }
  const n = x.shape[0];
  const m = w.shape[0];
  const cg = c / groups;
  const mg = m / groups;
  const kSize = sizeOf(win.kernel);
  const kg = cg * kSize;
  const inP = sizeOf(win.inSize);
  const P = sizeOf(win.outSize);
  const rowsCount = n * P;
  const pointwise = kSize === 1 && allEqual(win.strides, 1) && allEqual(win.padsBegin, 0) && allEqual(win.padsEnd, 0);
  const scratch = ctx.scratch((pointwise ? 0 : rowsCount * kg) + rowsCount * mg);
  const tOffset = pointwise ? 0 : rowsCount * kg;
  const Y = y.data;
  for (let gi = 0; gi < groups; gi++) {
    const opts = GEMM_OPTIONS.reset();
    opts.transB = true;
    opts.bias = b ? span(b.data, gi * mg, (gi + 1) * mg) : null;
    opts.weights = weights;
    if (activation) {
      opts.min = activation.min;
      opts.max = activation.max;
    }
    if (pointwise) {
      // rows of image i are X[i, group channels]^T: a transposed A, one GEMM per image
      opts.transA = true;
      for (let i = 0; i < n; i++) {
        gemm(P, mg, cg, x.data, (i * c + gi * cg) * inP, w.data, gi * mg * kg, scratch, tOffset + i * P * mg, opts);
      }
    } else {
      im2row(x.data, n, c, gi * cg, cg, win, scratch);
      gemm(rowsCount, mg, kg, scratch, 0, w.data, gi * mg * kg, scratch, tOffset, opts);
    }
    // Y[i, g*mg + j, p] = T[i*P + p, j]
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < mg; j++) {
        const dst = (i * m + gi * mg + j) * P;
        let src = tOffset + i * P * mg + j;
        for (let p = 0; p < P; p++, src += mg) Y[dst + p] = scratch[src];
      }
    }
  }
}

function allEqual(values: readonly number[], v: number): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== v) return false;
  return true;
}

/** Writes rows[i*P + p][ci*K + kk] for the channels [c0, c0 + cg) of every image (zeros in padding). */
function im2row(X: Float32Array, n: number, c: number, c0: number, cg: number, win: Window, rows: Float32Array): void {
  if (win.inSize.length > 3) throw new Error('im2row supports up to 3 spatial axes');
  const { k, s, d, p, inp, out } = win.lifted;
  const [K0, K1, K2] = k;
  const [S0, S1, S2] = s;
  const [D0, D1, D2] = d;
  const [P0, P1, P2] = p;
  const [I0, I1, I2] = inp;
  const [O0, O1, O2] = out;
  const inP = I0 * I1 * I2;
  let r = 0;
  for (let i = 0; i < n; i++) {
    for (let o0 = 0; o0 < O0; o0++) {
      for (let o1 = 0; o1 < O1; o1++) {
        for (let o2 = 0; o2 < O2; o2++) {
          for (let ci = 0; ci < cg; ci++) {
            const base = (i * c + c0 + ci) * inP;
            for (let k0 = 0; k0 < K0; k0++) {
              const x0 = o0 * S0 - P0 + k0 * D0;
              if (x0 < 0 || x0 >= I0) {
                rows.fill(0, r, r + K1 * K2);
                r += K1 * K2;
                continue;
              }
              for (let k1 = 0; k1 < K1; k1++) {
                const x1 = o1 * S1 - P1 + k1 * D1;
                if (x1 < 0 || x1 >= I1) {
                  for (let k2 = 0; k2 < K2; k2++) rows[r++] = 0;
                  continue;
                }
                const line = base + (x0 * I1 + x1) * I2;
                let x2 = o2 * S2 - P2;
                for (let k2 = 0; k2 < K2; k2++, x2 += D2) rows[r++] = x2 >= 0 && x2 < I2 ? X[line + x2] : 0;
              }
            }
          }
        }
      }
    }
  }
}
