/**
 * EmbedLayerNormalization (com.microsoft), BERT's embedding block as onnxruntime's optimizer
 * fuses it:
 *   e[b, s] = word[input_ids[b, s]] + position[position_ids[b, s] or s] (+ segment[segment_ids[b, s]])
 *   output  = LayerNormalization(e) with gamma, beta over the hidden dimension
 * Outputs: output [B, S, H], mask_index [B] (the number of 1s in each row of mask, 0 without a
 * mask) and embedding_sum (e) when requested.
 */
import { kernel, kernelFail, type KernelContext } from '../../kernel';
import type { Tensor } from '../../tensor';
import { layerNormRows } from '../normalization/layer-normalization';
import { wantsOutput } from '../common/work-buffers';
import { expectShape, floatInput, optionalFloatInput } from '../common/inputs';
import { MICROSOFT_DOMAIN } from '../common/microsoft-domain';
import { shapeText } from '../common/shape-text';
import type { FloatTensor } from '../common/tensor-types';

const INPUT = { inputIds: 0, segmentIds: 1, word: 2, position: 3, segment: 4, gamma: 5, beta: 6, mask: 7, positionIds: 8 } as const;

interface EmbedAttributes {
  readonly epsilon: number;
}

type Ctx = Pick<KernelContext, 'node'>;

function ids(inputs: ReadonlyArray<Tensor | undefined>, index: number, name: string, shape: readonly number[], ctx: Ctx): Int32Array | undefined {
  const t = inputs[index];
  if (!t) return undefined;
  if (t.dtype !== 'int32') kernelFail(ctx, `${name} must be int32, got ${t.dtype}`);
  expectShape(t, shape, name, ctx);
  return t.data as Int32Array;
}

function table(inputs: ReadonlyArray<Tensor | undefined>, index: number, name: string, hidden: number, ctx: Ctx): FloatTensor {
  const t = floatInput(inputs, index, name, ctx);
  if (t.rank !== 2 || t.shape[1] !== hidden || t.dtype !== 'float32') kernelFail(ctx, `${name} must be float32 [rows, ${hidden}], got ${t.dtype} ${shapeText(t.shape)}`);
  return t;
}

/** Adds row `id` of `t` (hidden wide) into `dst` at `at`, failing for ids outside the table. */
function addRow(dst: Float32Array, at: number, t: FloatTensor, id: number, name: string, ctx: Ctx): void {
  const rows = t.shape[0];
  const hidden = t.shape[1];
  if (!(id >= 0 && id < rows)) kernelFail(ctx, `${name} index ${id} is outside the table's ${rows} rows`);
  const d = t.data;
  for (let j = 0, src = id * hidden; j < hidden; j++) dst[at + j] += d[src + j];
}

export const embedLayerNormalizationKernel = kernel<EmbedAttributes>({
  op: 'EmbedLayerNormalization',
  domain: MICROSOFT_DOMAIN,
  attributes(r) {
    const epsilon = r.float('epsilon', 1e-12);
    if (!(epsilon >= 0)) r.fail(`attribute "epsilon" must be >= 0, got ${epsilon}`);
    return { epsilon };
  },
  run(inputs, attrs, ctx) {
    const idsTensor = inputs[INPUT.inputIds];
    if (!idsTensor || idsTensor.rank !== 2) kernelFail(ctx, `input_ids must be int32 [batch, seq], got ${idsTensor ? shapeText(idsTensor.shape) : 'nothing'}`);
    const [batch, seq] = idsTensor.shape;
    const inputIds = ids(inputs, INPUT.inputIds, 'input_ids', [batch, seq], ctx)!;
    const segmentIds = ids(inputs, INPUT.segmentIds, 'segment_ids', [batch, seq], ctx);
    const mask = ids(inputs, INPUT.mask, 'mask', [batch, seq], ctx);
    const positionInput = inputs[INPUT.positionIds];
    const positionIds = ids(inputs, INPUT.positionIds, 'position_ids', positionInput?.shape[0] === 1 ? [1, seq] : [batch, seq], ctx);
    const word = table(inputs, INPUT.word, 'word_embedding', floatInput(inputs, INPUT.word, 'word_embedding', ctx).shape[1], ctx);
    const hidden = word.shape[1];
    const position = table(inputs, INPUT.position, 'position_embedding', hidden, ctx);
    const segment = inputs[INPUT.segment] ? table(inputs, INPUT.segment, 'segment_embedding', hidden, ctx) : undefined;
    if ((segment === undefined) !== (segmentIds === undefined)) kernelFail(ctx, 'segment_ids and segment_embedding must be given together');
    const gamma = floatInput(inputs, INPUT.gamma, 'gamma', ctx);
    const beta = optionalFloatInput(inputs, INPUT.beta, 'beta', ctx);
    expectShape(gamma, [hidden], 'gamma', ctx);
    if (beta) expectShape(beta, [hidden], 'beta', ctx);

    const shape = [batch, seq, hidden];
    const y = ctx.output(0, 'float32', shape);
    const sumOut = wantsOutput(ctx, 2) ? ctx.output(2, 'float32', shape) : undefined;
    const sum = sumOut ? sumOut.data : ctx.scratch(batch * seq * hidden);
    sum.fill(0, 0, batch * seq * hidden);
    for (let b = 0; b < batch; b++) {
      for (let s = 0; s < seq; s++) {
        const t = b * seq + s;
        const at = t * hidden;
        addRow(sum, at, word, inputIds[t], 'input_ids', ctx);
        const p = positionIds ? positionIds[positionIds.length === seq ? s : t] : s;
        addRow(sum, at, position, p, 'position', ctx);
        if (segment && segmentIds) addRow(sum, at, segment, segmentIds[t], 'segment_ids', ctx);
      }
    }
    layerNormRows(sum, y.data, gamma.data, beta?.data ?? null, batch * seq, hidden, attrs.epsilon, null, null);

    if (!wantsOutput(ctx, 1) && !sumOut) return y;
    const maskIndex = ctx.output(1, 'int32', [batch]);
    for (let b = 0; b < batch; b++) {
      let count = 0;
      if (mask) for (let s = 0; s < seq; s++) if (mask[b * seq + s] === 1) count++;
      maskIndex.data[b] = count;
    }
    return sumOut ? ctx.results(y, maskIndex, sumOut) : ctx.results(y, maskIndex);
  },
});
