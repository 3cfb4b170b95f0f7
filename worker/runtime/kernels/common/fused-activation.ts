/**
 * A Relu or Clip the compiler folded into the Conv or Gemm before it
 * (lib/model-compiler/fuse-activation.ts). The producer applies it as a clamp in its GEMM
 * epilogue instead of a second pass over the output.
 */
import type { AttributeReader } from '../../kernel';

/** [min, max]; an internal attribute that no ONNX file carries. */
export const FUSED_CLIP = 'model_edge_fused_clip';

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
