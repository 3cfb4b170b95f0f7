/**
 * RNN (opsets 1..22), the simple recurrent cell:
 *   Ht = f(Xt*Wi^T + Ht-1*Ri^T + Wbi + Rbi)
 */
import { kernel } from '../../kernel';
import { applyActivation } from './activations';
import { matmulTransposedB } from './gemm';
import { clipInPlace, loadInitialState, parseRecurrentAttributes, projectInputs, planRecurrent, outputBuffers, readRecurrentInputs, recurrentOutputs, storeStep, type RecurrentPlan, sequenceMajor, storeState, workspace, type RecurrentAttributes } from './recurrent-common';

export const rnnKernel = kernel<RecurrentAttributes, RecurrentPlan>({
  op: 'RNN',
  attributes(attrs, opset) {
    return parseRecurrentAttributes(attrs, opset, ['tanh']);
  },
  plan: planRecurrent,
  run(inputs, attrs, ctx, plan) {
    const p = readRecurrentInputs(inputs, attrs, 1, ctx, plan);
    const { seqLength: S, batch: B, hidden: H, numDirections: D } = p;
    const [xsBuffer, proj, pre, h, bias] = workspace(ctx, p.dtype, [p.layout === 1 ? S * B * p.inputSize : 0, S * B * H, B * H, B * H, H]);
    const xs = sequenceMajor(p, xsBuffer);
    const { yTensor, y, yh } = outputBuffers(ctx, p);

    for (let d = 0; d < D; d++) {
      const [fAct] = attrs.activations[d];
      const reverse = attrs.direction === 'reverse' || d === 1;
      for (let j = 0; j < H; j++) bias[j] = p.b ? p.b[d * 2 * H + j] + p.b[d * 2 * H + H + j] : 0;
      projectInputs(p, xs, d, 1, bias, proj);
      loadInitialState(p, p.initialH, d, h);
      for (let s = 0; s < S; s++) {
        matmulTransposedB(B, H, H, h, 0, p.r, d * H * H, pre, 0, p.rWeights);
        for (let b = 0; b < B; b++) {
          const len = p.seqLens[b];
          if (s >= len) continue;
          const t = reverse ? len - 1 - s : s;
          const hb = b * H;
          const pr = (t * B + b) * H;
          for (let j = 0; j < H; j++) pre[hb + j] += proj[pr + j];
          clipInPlace(pre, hb, H, attrs.clip);
          applyActivation(fAct, pre, hb, H);
          for (let j = 0; j < H; j++) h[hb + j] = pre[hb + j];
          storeStep(p, y, t, d, b, h, hb);
        }
      }
      storeState(p, h, d, yh.data);
    }
    return recurrentOutputs(ctx, p, yTensor, yh);
  },
});
