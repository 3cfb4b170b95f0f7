/**
 * Attributes of ai.onnx Attention (opset 23/24), parsed and checked once per node.
 */
import type { AttributeReader } from '../../kernel';

/** Which intermediate the optional fourth output (qk_matmul_output) holds. */
export enum QkOutputMode {
  /** scale * Q K^T */
  Product = 0,
  /** after softcap (the same as Product when softcap is 0) */
  Softcapped = 1,
  /** after softcap and the mask / causal bias are applied */
  Biased = 2,
  /** the softmax probabilities */
  Softmax = 3,
}

export interface AttentionAttributes {
  readonly isCausal: boolean;
  /** required for 3-D inputs; checked against the head dimension of 4-D inputs */
  readonly qNumHeads: number | undefined;
  readonly kvNumHeads: number | undefined;
  readonly qkOutputMode: QkOutputMode;
  /** @default 1 / sqrt(head_size) */
  readonly scale: number | undefined;
  /** 0 disables: scores become softcap * tanh(scores / softcap) */
  readonly softcap: number;
}

/** TensorProto types softmax_precision may name; the softmax always runs in double here. */
const SOFTMAX_PRECISIONS = new Map([
  [1, 'float'],
  [10, 'float16'],
  [11, 'double'],
  [16, 'bfloat16'],
]);

export function parseAttentionAttributes(r: AttributeReader): AttentionAttributes {
  const heads = (name: string): number | undefined => {
    const v = r.int(name, -1);
    if (!r.has(name)) return undefined;
    if (v < 1) r.fail(`attribute "${name}" must be a positive number of heads, got ${v}`);
    return v;
  };
  const mode = r.int('qk_matmul_output_mode', 0);
  if (mode < 0 || mode > 3) {
    r.fail(`attribute "qk_matmul_output_mode" is ${mode}; supported: 0 (QK^T), 1 (after softcap), 2 (after mask), 3 (after softmax)`);
  }
  const scale = r.has('scale') ? r.float('scale') : undefined;
  if (scale !== undefined && !Number.isFinite(scale)) r.fail(`attribute "scale" must be a finite number, got ${scale}`);
  const softcap = r.float('softcap', 0);
  if (!(softcap >= 0) || !Number.isFinite(softcap)) r.fail(`attribute "softcap" must be >= 0 (0 disables it), got ${softcap}`);
  if (r.has('softmax_precision')) {
    const p = r.int('softmax_precision');
    if (!SOFTMAX_PRECISIONS.has(p)) {
      r.fail(`attribute "softmax_precision" is ${p}; supported: ${[...SOFTMAX_PRECISIONS].map(([k, v]) => `${k} (${v})`).join(', ')}`);
    }
  }
  const isCausal = r.int('is_causal', 0);
  if (isCausal !== 0 && isCausal !== 1) r.fail(`attribute "is_causal" must be 0 or 1, got ${isCausal}`);
  return {
    isCausal: isCausal === 1,
    qNumHeads: heads('q_num_heads'),
    kvNumHeads: heads('kv_num_heads'),
    qkOutputMode: mode as QkOutputMode,
    scale,
    softcap,
  };
}
