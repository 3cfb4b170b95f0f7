/**
 * RNN (opsets 1..22), the simple recurrent cell:
 *   Ht = f(Xt*Wi^T + Ht-1*Ri^T + Wbi + Rbi)
 */
import { kernel } from '../../kernel';
import { applyActivation } from './activations';
import { stepPreactivations, stepTime, foldBiases, clipInPlace, loadInitialState, parseRecurrentAttributes, projectInputs, planRecurrent, outputBuffers, readRecurrentInputs, recurrentOutputs, storeStep, type RecurrentPlan, sequenceMajor, storeState, workspace, type RecurrentAttributes } from './recurrent-common';

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
      foldBiases(p, d, H, bias);
      projectInputs(p, xs, d, 1, bias, proj);
      loadInitialState(p, p.initialH, d, h);
      for (let s = 0; s < S; s++) {
        stepPreactivations(p, d, s, reverse, H, h, proj, pre);
        for (let b = 0; b < B; b++) {
          const t = stepTime(p, s, b, reverse);
          if (t < 0) continue;
          const hb = b * H;
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
