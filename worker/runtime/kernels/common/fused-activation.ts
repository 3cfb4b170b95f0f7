/**
 * Activations the compiler folded into the node before them (lib/model-compiler/fuse-activation.ts):
 * a Relu or Clip into a Conv, Gemm or FusedMatMul, applied as a clamp in the GEMM epilogue; a GELU
 * or a Softmax over the last axis into a FusedMatMul, applied after the clamp to the product while
 * it is still in WebAssembly memory. Each saves a second pass over the output (and its copies).
 */
import type { AttributeReader } from '../../kernel';

/** [min, max]; an internal attribute that no ONNX file carries. */
export const FUSED_CLIP = 'model_edge_fused_clip';

/** 1 when the exact (erf) GELU follows the product; an internal attribute that no ONNX file carries. */
export const FUSED_GELU = 'model_edge_fused_gelu';

/** 1 when a Softmax over the last axis follows the product; an internal attribute that no ONNX file carries. */
export const FUSED_SOFTMAX = 'model_edge_fused_softmax';

export interface FusedClip {
  readonly min: number;
  readonly max: number;
}

export function readFusedClip(r: AttributeReader): FusedClip | undefined {
  if (!r.has(FUSED_CLIP)) return undefined;
  const bounds = r.floats(FUSED_CLIP);
  if (bounds.length !== 2 || !(bounds[0] <= bounds[1])) r.fail(`attribute "${FUSED_CLIP}" must be [min, max] with min <= max`);
  return { min: bounds[0], max: bounds[1] };
}

/** A 0/1 flag attribute: FUSED_GELU or FUSED_SOFTMAX. */
export function readFusedFlag(r: AttributeReader, name: typeof FUSED_GELU | typeof FUSED_SOFTMAX): boolean {
  const v = r.int(name, 0);
  if (v !== 0 && v !== 1) r.fail(`attribute "${name}" must be 0 or 1, got ${v}`);
  return v === 1;
}
