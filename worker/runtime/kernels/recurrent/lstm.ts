/**
 * LSTM (opsets 1..22). Gates in W, R and B are ordered i, o, f, c; peepholes P are i, o, f.
 *   i = f(Xt*Wi^T + Ht-1*Ri^T + Pi.Ct-1 + Wbi + Rbi)
 *   f = f(Xt*Wf^T + Ht-1*Rf^T + Pf.Ct-1 + Wbf + Rbf)     (f = 1 - i when input_forget = 1)
 *   c = g(Xt*Wc^T + Ht-1*Rc^T + Wbc + Rbc)
 *   Ct = f.Ct-1 + i.c
 *   o = f(Xt*Wo^T + Ht-1*Ro^T + Po.Ct + Wbo + Rbo)
 *   Ht = o.h(Ct)
 * X*W^T for all steps is one matrix product up front; each step then needs one H*R^T product.
 */
import { kernel, kernelFail, type KernelContext } from '../../kernel';
import type { Tensor } from '../../tensor';
import { applyActivation } from './activations';
import type { FloatArray } from './gemm';
import { stepPreactivations, stepTime, foldBiases, clipInPlace, loadInitialState, parseRecurrentAttributes, projectInputs, planRecurrent, outputBuffers, readRecurrentInputs, recurrentOutputs, storeStep, type RecurrentPlan, sequenceMajor, stateShape, storeState, workspace, type RecurrentAttributes, type RecurrentProblem } from './recurrent-common';
import type { FloatTensor } from '../common/tensor-types';

export interface LstmAttributes extends RecurrentAttributes {
  /** couples the forget gate to the input gate: f = 1 - i */
  readonly inputForget: boolean;
}

const GATES = 4;

export const lstmKernel = kernel<LstmAttributes, RecurrentPlan>({
  op: 'LSTM',
  attributes(attrs, opset) {
    return {
      ...parseRecurrentAttributes(attrs, opset, ['sigmoid', 'tanh', 'tanh']),
      inputForget: attrs.int('input_forget', 0) !== 0,
    };
  },
  plan: planRecurrent,
  run(inputs, attrs, ctx, plan) {
    const p = readRecurrentInputs(inputs, attrs, GATES, ctx, plan);
    const { seqLength: S, batch: B, hidden: H, numDirections: D } = p;
    const initialC = lstmStateInput(inputs, 6, 'initial_c', p, ctx);
    const peepholes = lstmPeepholes(inputs, p, ctx);
    const G = GATES * H;

    const [xsBuffer, proj, gates, h, c, bias] = workspace(ctx, p.dtype, [p.layout === 1 ? S * B * p.inputSize : 0, S * B * G, B * G, B * H, B * H, G]);
    const xs = sequenceMajor(p, xsBuffer);
    const { yTensor, y, yh } = outputBuffers(ctx, p);
    const yc = ctx.output(2, p.dtype, stateShape(p)) as FloatTensor;

    for (let d = 0; d < D; d++) {
      const [fAct, gAct, hAct] = attrs.activations[d];
      const reverse = attrs.direction === 'reverse' || d === 1;
      foldBiases(p, d, G, bias);
      projectInputs(p, xs, d, GATES, bias, proj);
      loadInitialState(p, p.initialH, d, h);
      loadInitialState(p, initialC, d, c);
      const pOff = d * 3 * H;

      for (let s = 0; s < S; s++) {
        stepPreactivations(p, d, s, reverse, G, h, proj, gates);
        for (let b = 0; b < B; b++) {
          const t = stepTime(p, s, b, reverse);
          if (t < 0) continue;
          const g0 = b * G;
          const hb = b * H;
          const gi = g0;
          const go = g0 + H;
          const gf = g0 + 2 * H;
          const gc = g0 + 3 * H;
          if (peepholes) {
            for (let j = 0; j < H; j++) {
              gates[gi + j] += peepholes[pOff + j] * c[hb + j];
              gates[gf + j] += peepholes[pOff + 2 * H + j] * c[hb + j];
            }
          }
          clipInPlace(gates, gi, H, attrs.clip);
          clipInPlace(gates, gf, 2 * H, attrs.clip); // f and c
          applyActivation(fAct, gates, gi, H);
          if (attrs.inputForget) for (let j = 0; j < H; j++) gates[gf + j] = 1 - gates[gi + j];
          else applyActivation(fAct, gates, gf, H);
          applyActivation(gAct, gates, gc, H);
          for (let j = 0; j < H; j++) c[hb + j] = gates[gf + j] * c[hb + j] + gates[gi + j] * gates[gc + j];
          if (peepholes) for (let j = 0; j < H; j++) gates[go + j] += peepholes[pOff + H + j] * c[hb + j];
          clipInPlace(gates, go, H, attrs.clip);
          applyActivation(fAct, gates, go, H);
          // h(Ct) goes through the cell-gate slot, which is free again
          for (let j = 0; j < H; j++) gates[gc + j] = c[hb + j];
          applyActivation(hAct, gates, gc, H);
          for (let j = 0; j < H; j++) h[hb + j] = gates[go + j] * gates[gc + j];
          storeStep(p, y, t, d, b, h, hb);
        }
      }
      storeState(p, h, d, yh.data);
      storeState(p, c, d, yc.data);
    }
    return recurrentOutputs(ctx, p, yTensor, yh, yc);
  },
});

/** initial_c: same shape as initial_h. */
function lstmStateInput(
  inputs: ReadonlyArray<Tensor | undefined>,
  index: number,
  name: string,
  p: RecurrentProblem,
  ctx: KernelContext,
): FloatArray | null {
  const t = inputs[index];
  if (!t) return null;
  const shape = stateShape(p);
  if (t.dtype !== p.dtype) kernelFail(ctx, `input ${name} is ${t.dtype} but X is ${p.dtype}; all float inputs must share one type`);
  if (t.rank !== 3 || t.shape.some((dim, i) => dim !== shape[i])) {
    kernelFail(ctx, `input ${name} must have shape [${shape.join(', ')}], got [${t.shape.join(', ')}]`);
  }
  return (t as FloatTensor).data;
}

/** P: [num_directions, 3 * hidden_size], ordered i, o, f. */
function lstmPeepholes(inputs: ReadonlyArray<Tensor | undefined>, p: RecurrentProblem, ctx: KernelContext): FloatArray | null {
  const t = inputs[7];
  if (!t) return null;
  if (t.dtype !== p.dtype) kernelFail(ctx, `input P is ${t.dtype} but X is ${p.dtype}; all float inputs must share one type`);
  if (t.rank !== 2 || t.shape[0] !== p.numDirections || t.shape[1] !== 3 * p.hidden) {
    kernelFail(ctx, `input P must have shape [${p.numDirections}, ${3 * p.hidden}], got [${t.shape.join(', ')}]`);
  }
  return (t as FloatTensor).data;
}
