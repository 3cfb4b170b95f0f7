/**
 * Every op the runtime implements, by family. The compiler looks ops up here to report unsupported
 * nodes at synth time. A deployed Worker never imports this module: it binds nodes from the kernels
 * its model uses (see ../kernel-set.ts).
 */
import type { AnyKernel } from '../kernel';
import { KernelSet } from '../kernel-set';
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

/** Every kernel the runtime has: the compiler checks models against it; tests and benchmarks run it. */
export const allKernels = new KernelSet(FAMILIES.flat());

export function findKernel(domain: string, op: string): AnyKernel | undefined {
  return allKernels.find(domain, op);
}

/** All supported ops as "domain:Op" keys ('' domain for ai.onnx), sorted. */
export function supportedOps(): string[] {
  return allKernels.keys();
}
