/**
 * RotaryEmbedding (com.microsoft): ai.onnx RotaryEmbedding (transformer/rotary-embedding.ts) with
 * onnxruntime's input order (input, position_ids, cos_cache, sin_cache), position_ids required and
 * either [batch, seq] or a one-element offset (positions offset + s), and num_heads inferred for
 * 3-D inputs from the cache width (head_size = 2 * cos_cache.shape[1] without rotary_embedding_dim).
 */
import { kernel, kernelFail, required } from '../../kernel';
import { Tensor } from '../../tensor';
import { rotaryEmbeddingKernel as onnxRotaryEmbeddingKernel } from '../transformer/rotary-embedding';
import { MICROSOFT_DOMAIN } from '../common/microsoft-domain';
import { shapeText } from '../common/shape-text';

interface ContribRotaryAttributes {
  readonly interleaved: boolean;
  readonly rotaryDim: number;
  readonly numHeads: number;
}

interface ContribRotaryPlan {
  /** the ai.onnx kernel's attributes for this input shape (num_heads resolved) */
  readonly inner: ContribRotaryAttributes;
  /** [batch, seq] positions filled from a one-element offset, or null for [batch, seq] position_ids */
  readonly positions: Tensor<'int32'> | null;
  /** X, cos_cache, sin_cache, position_ids */
  readonly innerInputs: Array<Tensor | undefined>;
}

export const rotaryEmbeddingKernel = kernel<ContribRotaryAttributes, ContribRotaryPlan>({
  op: 'RotaryEmbedding',
  domain: MICROSOFT_DOMAIN,
  attributes(r) {
    const interleaved = r.int('interleaved', 0);
    if (interleaved !== 0 && interleaved !== 1) r.fail(`attribute "interleaved" must be 0 or 1, got ${interleaved}`);
    if (r.int('is_packed_batching', 0) !== 0) r.fail('attribute "is_packed_batching" is not supported; export with padded batches');
    if (r.float('scale', 1) !== 1) r.fail('attribute "scale" other than 1 is not supported');
    const rotaryDim = r.int('rotary_embedding_dim', 0);
    if (rotaryDim < 0 || rotaryDim % 2 !== 0) r.fail(`attribute "rotary_embedding_dim" must be an even number >= 0 (0 = the whole head), got ${rotaryDim}`);
    const numHeads = r.int('num_heads', 0);
    if (numHeads < 0) r.fail(`attribute "num_heads" must be >= 0, got ${numHeads}`);
    return { interleaved: interleaved === 1, rotaryDim, numHeads };
  },
  plan(inputs, attrs, ctx) {
    const x = required(inputs, 0, ctx);
    const positions = required(inputs, 1, ctx);
    const cos = required(inputs, 2, ctx);
    if (x.shape.length !== 3 && x.shape.length !== 4) kernelFail(ctx, `input must be 3-D [batch, seq, hidden] or 4-D [batch, heads, seq, head_size], got ${shapeText(x.shape)}`);
    if (cos.shape.length !== 2) kernelFail(ctx, `cos_cache must be 2-D [max_seq, rotary_dim / 2], got ${shapeText(cos.shape)}`);
    if (positions.dtype !== 'int64') kernelFail(ctx, `position_ids must be int64, got ${positions.dtype}`);
    const batch = x.shape[0];
    const seq = x.shape[x.shape.length === 4 ? 2 : 1];
    let numHeads = attrs.numHeads;
    if (x.shape.length === 3 && numHeads === 0) {
      const headSize = attrs.rotaryDim || 2 * cos.shape[1];
      if (x.shape[2] % headSize !== 0) kernelFail(ctx, `hidden size ${x.shape[2]} is not a multiple of the head size ${headSize} (2 * cos_cache width); set num_heads`);
      numHeads = x.shape[2] / headSize;
    }
    const offset = positions.shape.length === 1 && positions.shape[0] === 1;
    if (!offset && !(positions.shape.length === 2 && positions.shape[0] === batch && positions.shape[1] === seq)) {
      kernelFail(ctx, `position_ids must be [batch, seq] = [${batch}, ${seq}] or a one-element offset [1], got ${shapeText(positions.shape)}`);
    }
    return {
      inner: { ...attrs, numHeads },
      positions: offset ? new Tensor('int32', [batch, seq], new Int32Array(batch * seq)) : null,
      innerInputs: [undefined, undefined, undefined, undefined],
    };
  },
  run(inputs, _attrs, ctx, plan) {
    const positions = inputs[1]!;
    if (plan.positions) {
      const start = Number((positions.data as BigInt64Array)[0]);
      const [batch, seq] = plan.positions.shape;
      for (let b = 0; b < batch; b++) for (let s = 0; s < seq; s++) plan.positions.data[b * seq + s] = start + s;
    }
    const innerInputs = plan.innerInputs;
    innerInputs[0] = inputs[0];
    innerInputs[1] = inputs[2];
    innerInputs[2] = inputs[3];
    innerInputs[3] = plan.positions ?? positions;
    return onnxRotaryEmbeddingKernel.run(innerInputs, plan.inner, ctx, undefined);
  },
});
