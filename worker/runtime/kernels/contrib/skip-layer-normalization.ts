/**
 * SkipLayerNormalization and SkipSimplifiedLayerNormalization (com.microsoft): the residual add
 * and the normalization of a transformer block in one op,
 *   s = input + skip (+ bias)
 *   Skip:           y = (s - mean) / sqrt(var + epsilon) * gamma (+ beta)      (LayerNormalization's rows)
 *   SkipSimplified: y = s / sqrt(mean(s^2) + epsilon) * gamma                   (RMS)
 * over the last dimension. skip is input's shape or broadcasts over the batch ([1, S, H], [S, H]).
 * Optional outputs: mean and inv_std_var ([..., 1], float32) and input_skip_bias_sum (s).
 */
import { kernel, kernelFail, type AttributeReader, type KernelContext } from '../../kernel';
import type { Tensor } from '../../tensor';
import { expectRowBias } from './bias';
import { layerNormRows } from '../normalization/layer-normalization';
import { rmsNormRows } from '../normalization/rms-normalization';
import { wantsOutput, workBuffer } from '../common/work-buffers';
import { expectSameFloat, floatInput, optionalFloatInput } from '../common/inputs';
import { MICROSOFT_DOMAIN } from '../common/microsoft-domain';
import { shapeText } from '../common/shape-text';
import type { FloatTensor, Floats } from '../common/tensor-types';

interface SkipNormAttributes {
  readonly epsilon: number;
}

const OUTPUT = { Y: 0, mean: 1, invStdDev: 2, sum: 3 } as const;

function attributes(r: AttributeReader): SkipNormAttributes {
  const epsilon = r.float('epsilon', 1e-12);
  if (!(epsilon >= 0)) r.fail(`attribute "epsilon" must be >= 0, got ${epsilon}`);
  return { epsilon };
}

interface SkipSum {
  readonly x: FloatTensor;
  readonly sum: Floats;
  readonly rows: number;
  readonly width: number;
  readonly sumOut: FloatTensor | undefined;
}

/** s = input + skip (+ bias), into output 3 when requested, else into working memory. */
function skipSum(inputs: ReadonlyArray<Tensor | undefined>, biasIndex: number, ctx: KernelContext): SkipSum {
  const x = floatInput(inputs, 0, 'input', ctx);
  const skip = floatInput(inputs, 1, 'skip', ctx);
  expectSameFloat(skip, x, 'skip', 'input', ctx);
  if (x.rank < 2 || x.rank > 3) kernelFail(ctx, `input must be 3-D [batch, seq, hidden] (or 2-D), got ${shapeText(x.shape)}`);
  const fits = skip.rank <= x.rank && skip.rank >= 2 && skip.shape.every((d, i) => d === x.shape[x.rank - skip.rank + i] || (i === 0 && d === 1 && skip.rank === x.rank));
  if (!fits || x.size % Math.max(1, skip.size) !== 0) {
    kernelFail(ctx, `skip ${shapeText(skip.shape)} must have input's shape ${shapeText(x.shape)} or broadcast over its batch ([1, S, H] or [S, H])`);
  }
  const bias = rowVector(inputs, biasIndex, 'bias', x, ctx);
  const width = x.shape[x.rank - 1];
  const rows = x.size / width;
  const sumOut = wantsOutput(ctx, OUTPUT.sum) ? (ctx.output(OUTPUT.sum, x.dtype, x.shape) as FloatTensor) : undefined;
  const sum = sumOut ? sumOut.data : workBuffer(ctx, x.dtype, x.size);
  const xd = x.data;
  const sd = skip.data;
  const bd = bias?.data;
  const period = skip.size;
  for (let i = 0, s = 0; i < x.size; i++) {
    sum[i] = xd[i] + sd[s] + (bd ? bd[i % width] : 0);
    if (++s === period) s = 0;
  }
  return { x, sum, rows, width, sumOut };
}

/** The optional vector over the hidden dimension at `index` (gamma, beta, bias), checked against input. */
function rowVector(inputs: ReadonlyArray<Tensor | undefined>, index: number, name: string, x: FloatTensor, ctx: KernelContext): FloatTensor | undefined {
  const t = optionalFloatInput(inputs, index, name, ctx);
  if (t) {
    expectSameFloat(t, x, name, 'input', ctx);
    expectRowBias(t, x, name, ctx);
  }
  return t;
}

function gammaOf(inputs: ReadonlyArray<Tensor | undefined>, x: FloatTensor, ctx: KernelContext): Floats {
  floatInput(inputs, 2, 'gamma', ctx); // required
  return rowVector(inputs, 2, 'gamma', x, ctx)!.data;
}

/** The statistics outputs (float32, [..., 1]) when requested. */
function statOutputs(ctx: KernelContext, x: FloatTensor): [FloatTensor | undefined, FloatTensor | undefined] {
  const shape = x.shape.map((d, i) => (i === x.rank - 1 ? 1 : d));
  const mean = wantsOutput(ctx, OUTPUT.mean) ? (ctx.output(OUTPUT.mean, 'float32', shape) as FloatTensor) : undefined;
  const inv = wantsOutput(ctx, OUTPUT.invStdDev) ? (ctx.output(OUTPUT.invStdDev, 'float32', shape) as FloatTensor) : undefined;
  return [mean, inv];
}

function results(y: Tensor, mean: Tensor | undefined, inv: Tensor | undefined, sum: Tensor | undefined): Tensor | Tensor[] {
  if (!mean && !inv && !sum) return y;
  // an omitted optional output still needs a slot in the list; the session ignores it
  return [y, mean ?? y, inv ?? y, sum ?? y];
}

/** The rows of s normalized into y, with the statistics outputs when they are requested. */
type NormalizeRows = (
  inputs: ReadonlyArray<Tensor | undefined>, s: SkipSum, gamma: Floats, y: Floats,
  mean: FloatTensor | undefined, inv: FloatTensor | undefined, epsilon: number, ctx: KernelContext,
) => void;

/** A skip-normalization kernel: s = input + skip (+ bias at `biasIndex`), then `normalize`. */
function skipNormKernel(op: string, biasIndex: number, normalize: NormalizeRows) {
  return kernel<SkipNormAttributes>({
    op,
    domain: MICROSOFT_DOMAIN,
    attributes,
    run(inputs, attrs, ctx) {
      const s = skipSum(inputs, biasIndex, ctx);
      const gamma = gammaOf(inputs, s.x, ctx);
      const y = ctx.output(OUTPUT.Y, s.x.dtype, s.x.shape) as FloatTensor;
      const [mean, inv] = statOutputs(ctx, s.x);
      normalize(inputs, s, gamma, y.data, mean, inv, attrs.epsilon, ctx);
      return results(y, mean, inv, s.sumOut);
    },
  });
}

export const skipLayerNormalizationKernel = skipNormKernel('SkipLayerNormalization', 4, (inputs, s, gamma, y, mean, inv, epsilon, ctx) => {
  const beta = rowVector(inputs, 3, 'beta', s.x, ctx);
  layerNormRows(s.sum, y, gamma, beta?.data ?? null, s.rows, s.width, epsilon, mean?.data ?? null, inv?.data ?? null);
});

export const skipSimplifiedLayerNormalizationKernel = skipNormKernel('SkipSimplifiedLayerNormalization', 3, (_inputs, s, gamma, y, mean, inv, epsilon) => {
  rmsNormRows(s.sum, y, gamma, s.rows, s.width, epsilon, inv?.data ?? null);
  mean?.data.fill(0); // no mean in RMS normalization
});
