/**
 * The negative log-likelihood shared by NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss.
 *
 * Log-probabilities are laid out [N, C, D] (D = the product of any trailing dims), targets [N, D]:
 *   loss[n, d] = -logp[n, target[n, d], d] * weight[target[n, d]]     (weight 1 when absent)
 * and 0 (with weight 0) where target == ignore_index. Reductions: 'none' keeps the [N, d1..dk]
 * losses, 'sum' adds them, 'mean' divides that sum by the sum of the weights that were applied
 * (the count of non-ignored elements without weights). Sums run in double.
 */
import { kernelFail, type AttributeReader, type KernelContext } from '../../kernel';
import type { Tensor } from '../../tensor';
import type { FloatTensor } from '../common/tensor-types';
import { shapeText } from '../common/shape-text';
import type { Floats } from '../common/tensor-types';

export type Reduction = 'none' | 'sum' | 'mean';

export interface LossAttributes {
  readonly reduction: Reduction;
  /** a target value whose elements contribute nothing; undefined when not set */
  readonly ignoreIndex: number | undefined;
}

export function parseLossAttributes(r: AttributeReader): LossAttributes {
  return {
    reduction: r.oneOf<Reduction>('reduction', ['none', 'sum', 'mean'], 'mean'),
    ignoreIndex: r.has('ignore_index') ? r.int('ignore_index') : undefined,
  };
}

type Ctx = Pick<KernelContext, 'node'>;

/** The checked operands of one loss: scores/log-probs [N, C, ...], targets [N, ...], weights [C]. */
export interface LossOperands {
  readonly input: FloatTensor;
  readonly target: Tensor;
  readonly weight: FloatTensor | undefined;
  readonly n: number;
  readonly c: number;
  readonly d: number;
}

export function lossOperands(
  input: Tensor | undefined,
  target: Tensor | undefined,
  weight: Tensor | undefined,
  names: readonly [string, string, string],
  ctx: Ctx,
): LossOperands {
  const [inputName, targetName, weightName] = names;
  if (!input) kernelFail(ctx, `input ${inputName} is required`);
  if (!target) kernelFail(ctx, `input ${targetName} is required`);
  if (input.dtype !== 'float32' && input.dtype !== 'float64') {
    kernelFail(ctx, `${inputName} must be float32 or float64 (float16 is carried as float32), got ${input.dtype}`);
  }
  if (input.rank < 2) kernelFail(ctx, `${inputName} must have shape [N, C] or [N, C, d1, ..., dk], got ${shapeText(input.shape)}`);
  if (target.dtype !== 'int64' && target.dtype !== 'int32') kernelFail(ctx, `${targetName} must be int64 or int32 class indices, got ${target.dtype}`);
  const want = [input.shape[0], ...input.shape.slice(2)];
  if (target.rank !== want.length || target.shape.some((v, i) => v !== want[i])) {
    kernelFail(ctx, `${targetName} must have shape [N, d1, ..., dk] = ${shapeText(want)} to match ${inputName} ${shapeText(input.shape)}, got ${shapeText(target.shape)}`);
  }
  const c = input.shape[1];
  if (weight) {
    if (weight.dtype !== input.dtype) kernelFail(ctx, `${weightName} must be ${input.dtype} like ${inputName}, got ${weight.dtype}`);
    if (weight.rank !== 1 || weight.shape[0] !== c) kernelFail(ctx, `${weightName} must have shape [C] = [${c}], got ${shapeText(weight.shape)}`);
  }
  const n = input.shape[0];
  return { input: input as FloatTensor, target, weight: weight as FloatTensor | undefined, n, c, d: n * c === 0 ? 0 : input.size / (n * c) };
}

/** The loss tensor's shape: the targets' for 'none', a scalar otherwise. */
export function lossShape(ops: LossOperands, reduction: Reduction): readonly number[] {
  return reduction === 'none' ? ops.target.shape : [];
}

/** Writes the loss of `logp` ([N, C, D] as in `ops`) into `out`. */
export function negativeLogLikelihood(ops: LossOperands, logp: Floats, attrs: LossAttributes, out: Floats, ctx: Ctx): void {
  const { n, c, d, target, weight } = ops;
  const t = target.data as Int32Array | BigInt64Array;
  const w = weight?.data;
  const { ignoreIndex, reduction } = attrs;
  let sum = 0;
  let weightSum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const at = i * d + j;
      const cls = Number(t[at]);
      let loss = 0;
      if (cls !== ignoreIndex) {
        if (!(cls >= 0 && cls < c)) {
          kernelFail(ctx, `target value ${cls} at index ${at} is not a class in [0, ${c})${ignoreIndex === undefined ? '' : ` nor ignore_index (${ignoreIndex})`}`);
        }
        const wc = w ? w[cls] : 1;
        loss = -logp[(i * c + cls) * d + j] * wc;
        weightSum += wc;
      }
      if (reduction === 'none') out[at] = loss;
      else sum += loss;
    }
  }
  if (reduction === 'sum') out[0] = sum;
  else if (reduction === 'mean') out[0] = sum / weightSum;
}
