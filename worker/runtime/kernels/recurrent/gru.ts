/**
 * GRU (opsets 1..22). Gates in W, R and B are ordered z, r, h.
 *   z = f(Xt*Wz^T + Ht-1*Rz^T + Wbz + Rbz)
 *   r = f(Xt*Wr^T + Ht-1*Rr^T + Wbr + Rbr)
 *   h = g(Xt*Wh^T + (r.Ht-1)*Rh^T + Rbh + Wbh)        linear_before_reset = 0
 *   h = g(Xt*Wh^T + r.(Ht-1*Rh^T + Rbh) + Wbh)        linear_before_reset != 0
 *   Ht = (1 - z).h + z.Ht-1
 * X*W^T for all steps is one matrix product up front; each step needs one H*R^T product (two
 * smaller ones when the reset gate is applied before the linear transformation).
 */
import { kernel } from '../../kernel';
import { applyActivation } from './activations';
import { matmulTransposedB } from './gemm';
import { stepTime, clipInPlace, loadInitialState, parseRecurrentAttributes, projectInputs, planRecurrent, outputBuffers, readRecurrentInputs, recurrentOutputs, storeStep, type RecurrentPlan, sequenceMajor, storeState, workspace, type RecurrentAttributes } from './recurrent-common';

export interface GruAttributes extends RecurrentAttributes {
  readonly linearBeforeReset: boolean;
}

const GATES = 3;

export const gruKernel = kernel<GruAttributes, RecurrentPlan>({
  op: 'GRU',
  attributes(attrs, opset) {
    return {
      ...parseRecurrentAttributes(attrs, opset, ['sigmoid', 'tanh']),
      linearBeforeReset: attrs.int('linear_before_reset', 0) !== 0,
    };
  },
  plan: planRecurrent,
  run(inputs, attrs, ctx, plan) {
    const p = readRecurrentInputs(inputs, attrs, GATES, ctx, plan);
    const { seqLength: S, batch: B, hidden: H, numDirections: D } = p;
    const G = GATES * H;
    const lbr = attrs.linearBeforeReset;

    // rec holds Ht-1*R^T per batch row: [z | r] (n1 = 2H), or [z | r | h] (n1 = 3H) when
    // linear_before_reset; hh is the h gate's pre-activation; resetH holds r.Ht-1
    const n1 = lbr ? G : 2 * H;
    const [xsBuffer, proj, rec, hh, h, resetH, bias, recurrentBiasH] = workspace(ctx, p.dtype, [
      p.layout === 1 ? S * B * p.inputSize : 0,
      S * B * G,
      B * n1,
      B * H,
      B * H,
      lbr ? 0 : B * H,
      G,
      H,
    ]);
    const xs = sequenceMajor(p, xsBuffer);
    const { yTensor, y, yh } = outputBuffers(ctx, p);

    for (let d = 0; d < D; d++) {
      const [fAct, gAct] = attrs.activations[d];
      const reverse = attrs.direction === 'reverse' || d === 1;
      const wb = d * 2 * G;
      const rb = wb + G;
      // Rbh stays inside the reset product when linear_before_reset is set; all else folds in now
      for (let j = 0; j < G; j++) {
        const recurrent = p.b && !(lbr && j >= 2 * H) ? p.b[rb + j] : 0;
        bias[j] = (p.b ? p.b[wb + j] : 0) + recurrent;
      }
      for (let j = 0; j < H; j++) recurrentBiasH[j] = lbr && p.b ? p.b[rb + 2 * H + j] : 0;
      projectInputs(p, xs, d, GATES, bias, proj);
      loadInitialState(p, p.initialH, d, h);
      const rOff = d * G * H;

      for (let s = 0; s < S; s++) {
        // z and r (and h when linear_before_reset) from Ht-1 for the whole batch at once
        matmulTransposedB(B, n1, H, h, 0, p.r, rOff, rec, 0, p.rWeights);
        for (let b = 0; b < B; b++) {
          const t = stepTime(p, s, b, reverse);
          if (t < 0) continue;
          const g0 = b * n1;
          const pr = (t * B + b) * G;
          for (let j = 0; j < 2 * H; j++) rec[g0 + j] += proj[pr + j];
          clipInPlace(rec, g0, 2 * H, attrs.clip);
          applyActivation(fAct, rec, g0, 2 * H);
          if (!lbr) {
            const hb = b * H;
            for (let j = 0; j < H; j++) resetH[hb + j] = rec[g0 + H + j] * h[hb + j];
          }
        }
        // (r.Ht-1)*Rh^T needs r first: a second, smaller product
        if (!lbr) matmulTransposedB(B, H, H, resetH, 0, p.r, rOff + 2 * H * H, hh, 0, p.rWeights);
        for (let b = 0; b < B; b++) {
          const t = stepTime(p, s, b, reverse);
          if (t < 0) continue;
          const gz = b * n1;
          const gr = gz + H;
          const ph = (t * B + b) * G + 2 * H;
          const hb = b * H;
          if (lbr) for (let j = 0; j < H; j++) hh[hb + j] = proj[ph + j] + rec[gr + j] * (rec[gz + 2 * H + j] + recurrentBiasH[j]);
          else for (let j = 0; j < H; j++) hh[hb + j] += proj[ph + j];
          clipInPlace(hh, hb, H, attrs.clip);
          applyActivation(gAct, hh, hb, H);
          for (let j = 0; j < H; j++) {
            const z = rec[gz + j];
            h[hb + j] = (1 - z) * hh[hb + j] + z * h[hb + j];
          }
          storeStep(p, y, t, d, b, h, hb);
        }
      }
      storeState(p, h, d, yh.data);
    }
    return recurrentOutputs(ctx, p, yTensor, yh);
  },
});
