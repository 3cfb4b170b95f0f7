/**
 * Every op the runtime implements, by family. `findKernel` is the only lookup; the compiler uses
 * it to report unsupported nodes at synth time, the session to bind nodes at load.
 */
import type { AnyKernel } from '../kernel';
import { contribKernels } from './contrib';
import { convKernels } from './conv';
import { indexingKernels } from './indexing';
import { linalgKernels } from './linalg';
import { lossKernels } from './loss';
import { mathKernels } from './math';
import { mlKernels } from './ml';
import { normalizationKernels } from './normalization';
import { quantizationKernels } from './quantization';
import { recurrentKernels } from './recurrent';
import { tensorKernels } from './tensor';
import { textKernels } from './text';
import { transformerKernels } from './transformer';
import { visionKernels } from './vision';

export const ML_DOMAIN = 'ai.onnx.ml';

const FAMILIES: ReadonlyArray<readonly AnyKernel[]> = [
  mathKernels, // elementwise arithmetic, comparison, logic, activations, reductions, Softmax, Cast
  tensorKernels, // shape and data movement: Reshape, Concat, Gather, Slice, Pad, If, Resize...
  indexingKernels, // scatter/gather by index, cumulative and selection ops: GatherND, ScatterND, CumSum, OneHot...
  linalgKernels, // MatMul, Gemm, Einsum (WebAssembly SIMD where it pays)
  convKernels, // Conv, ConvTranspose, pooling
  normalizationKernels, // BatchNormalization, InstanceNormalization, LayerNormalization, LRN
  recurrentKernels, // GRU, LSTM
  quantizationKernels, // QuantizeLinear, DequantizeLinear, integer matrix products
  transformerKernels, // Attention (grouped-query, KV cache, masks), RotaryEmbedding
  lossKernels, // NegativeLogLikelihoodLoss, SoftmaxCrossEntropyLoss
  textKernels, // string tensors: StringSplit, StringConcat, com.microsoft Tokenizer
  visionKernels, // GridSample, AffineGrid, NonMaxSuppression, RoiAlign, Col2Im, CenterCropPad, LpPool
  mlKernels, // ai.onnx.ml: tree ensembles, linear models, preprocessing, ZipMap
  contribKernels, // com.microsoft: onnxruntime's fused transformer and quantized ops
];

const byKey = new Map<string, AnyKernel>();
for (const family of FAMILIES) {
  for (const k of family) {
    const key = keyOf(k.domain ?? '', k.op);
    if (byKey.has(key)) throw new Error(`kernel ${key} is registered twice`);
    byKey.set(key, k);
  }
}

function keyOf(domain: string, op: string): string {
  return `${domain === 'ai.onnx' ? '' : domain}:${op}`;
}

export function findKernel(domain: string, op: string): AnyKernel | undefined {
  return byKey.get(keyOf(domain, op));
}

/** All supported ops as "domain:Op" keys ('' domain for ai.onnx), sorted. */
export function supportedOps(): string[] {
  return [...byKey.keys()].sort();
}
