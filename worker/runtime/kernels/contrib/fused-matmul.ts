/**
 * FusedMatMul (com.microsoft): Y = alpha * op(A) op(B), op transposing the last two dims when
 * transA / transB is set; batch dims broadcast as in MatMul. This is what onnxruntime's optimizer
 * makes of MatMul after Transpose or before Mul by a scalar. float32 only, as onnxruntime.
 *
 * An optional third input, a 1-D bias of Y's last dimension, is added in the GEMM epilogue
 * (Y = alpha * op(A) op(B) + bias): the form this runtime's compiler gives MatMul + Add of a
 * constant bias (lib/model-compiler/fuse-matmul.ts), as it may fold a following Relu or Clip into
 * the same epilogue, and a GELU or a Softmax over the last axis (attention's scores) into the GEMM
 * (see linalg/gemm.ts). An optional fourth input, a residual R of Y's shape, is added after the
 * bias and before any activation: Y = (alpha * op(A) op(B) + bias) + R, the compiler's form of an
 * Add that was the product's only reader (lib/model-compiler/fuse-residual.ts). onnxruntime's
 * FusedMatMul has two inputs and no activation.
 */
import { kernel, kernelFail, required, type AttributeReader } from '../../kernel';
import { sameShape, sizeOf, type Tensor } from '../../tensor';
import { gemm, GemmCallOptions, packedWeightsFor } from '../linalg/gemm';
import { planMatMul, type MatMulPlan } from '../linalg/matmul';
import { MICROSOFT_DOMAIN } from '../common/microsoft-domain';
import { shapeText } from '../common/shape-text';
import { FUSED_GELU, FUSED_SOFTMAX, readFusedClip, readFusedFlag, type FusedClip } from '../common/fused-activation';
import { softmaxIntoF32 } from '../math/float32-activations';
import { outputLikeFirstInput } from '../common/planned-output';

interface FusedMatMulAttributes {
  readonly alpha: number;
  readonly transA: boolean;
  readonly transB: boolean;
  /** a Relu or Clip the compiler folded into the epilogue (lib/model-compiler/fuse-activation.ts) */
  readonly activation: FusedClip | undefined;
  /** a GELU the compiler folded in after the product (and after the clamp) */
  readonly gelu: boolean;
  /** a Softmax over Y's last axis the compiler folded in after everything else */
  readonly softmax: boolean;
}

interface FusedMatMulPlan extends MatMulPlan {
  /** per output matrix: the matrix index into A, then into B */
  readonly matrices: Int32Array;
  /** one B for every batch and A neither transposed nor broadcast: the batches stack into one tall product */
  readonly stacked: boolean;
  /**
   * Rows of Y for a folded Softmax that the GEMM cannot apply: with a 1-D B, Y's last axis is not
   * the product's row. 0 otherwise (no Softmax, or the GEMM applies it to its rows).
   */
  readonly softmaxAfterRows: number;
}

const GEMM_OPTIONS = new GemmCallOptions();

function flag(r: AttributeReader, name: string): boolean {
  const v = r.int(name, 0);
  if (v !== 0 && v !== 1) r.fail(`attribute "${name}" must be 0 or 1, got ${v}`);
  return v === 1;
}

/** The shape as the product sees it: the last two dims swapped when transposed. */
function operandShape(shape: readonly number[], trans: boolean, name: string, ctx: Parameters<typeof kernelFail>[0]): readonly number[] {
  if (!trans) return shape;
  if (shape.length < 2) kernelFail(ctx, `${name} ${shapeText(shape)} must have rank >= 2 to be transposed (trans${name} = 1)`);
  const s = [...shape];
  [s[s.length - 2], s[s.length - 1]] = [s[s.length - 1], s[s.length - 2]];
  return s;
}

export const fusedMatMulKernel = kernel<FusedMatMulAttributes, FusedMatMulPlan>({
  op: 'FusedMatMul',
  domain: MICROSOFT_DOMAIN,
  attributes(r) {
    for (const name of ['transBatchA', 'transBatchB']) {
      if (r.int(name, 0) !== 0) r.fail(`attribute "${name}" is not supported (only 0); export the model without onnxruntime's optimizer to keep plain Transpose + MatMul`);
    }
    return { alpha: r.float('alpha', 1), transA: flag(r, 'transA'), transB: flag(r, 'transB'), activation: readFusedClip(r), gelu: readFusedFlag(r, FUSED_GELU), softmax: readFusedFlag(r, FUSED_SOFTMAX) };
  },
  plan(inputs, attrs, ctx, previous) {
    const a = required(inputs, 0, ctx);
    const b = required(inputs, 1, ctx);
    if (a.dtype !== 'float32' || b.dtype !== 'float32') kernelFail(ctx, `A and B must be float32, got ${a.dtype} and ${b.dtype}`);
    const bias = inputs[2];
    const plan = planMatMul(operandShape(a.shape, attrs.transA, 'A', ctx), operandShape(b.shape, attrs.transB, 'B', ctx), ctx, packedWeightsFor(b, previous?.weights));
    if (bias && (bias.dtype !== 'float32' || bias.shape.length !== 1 || bias.shape[0] !== plan.n)) {
      kernelFail(ctx, `bias ${bias.dtype} ${shapeText(bias.shape)} must be a float32 vector of Y's last dimension ${plan.n}`);
    }
    const residual = inputs[3];
    if (residual && (residual.dtype !== 'float32' || !sameShape(residual.shape, plan.outShape))) {
      kernelFail(ctx, `residual ${residual.dtype} ${shapeText(residual.shape)} must be float32 of Y's shape ${shapeText(plan.outShape)} (it is added without broadcasting)`);
    }
    const stacked = !attrs.transA && plan.stacked;
    const last = plan.outShape.length === 0 ? 1 : plan.outShape[plan.outShape.length - 1];
    const softmaxAfterRows = attrs.softmax && b.shape.length === 1 && last > 0 ? sizeOf(plan.outShape) / last : 0;
    return { ...plan, stacked, softmaxAfterRows };
  },
  outputs: outputLikeFirstInput,
  run(inputs, attrs, ctx, plan) {
    const a = inputs[0] as Tensor<'float32'>;
    const b = inputs[1] as Tensor<'float32'>;
    const y = ctx.output(0, 'float32', plan.outShape);
    const { m, k, n, matrices } = plan;
    const options = GEMM_OPTIONS.reset();
    options.transA = attrs.transA;
    options.transB = attrs.transB;
    options.alpha = attrs.alpha;
    options.weights = plan.weights;
    options.bias = inputs[2] ? (inputs[2].data as Float32Array) : null;
    options.residual = inputs[3] ? (inputs[3].data as Float32Array) : null;
    if (attrs.activation) {
      options.min = attrs.activation.min;
      options.max = attrs.activation.max;
    }
    options.gelu = attrs.gelu;
    options.softmax = attrs.softmax && plan.softmaxAfterRows === 0;
    if (plan.stacked) {
      gemm((matrices.length / 2) * m, n, k, a.data, 0, b.data, 0, y.data, 0, options);
    } else {
      for (let t = 0; t < matrices.length / 2; t++) {
        gemm(m, n, k, a.data, matrices[2 * t] * m * k, b.data, matrices[2 * t + 1] * k * n, y.data, t * m * n, options);
      }
    }
    const rows = plan.softmaxAfterRows;
    if (rows > 0) softmaxIntoF32(y.data, y.data, rows, y.data.length / rows);
    return y;
  },
});
