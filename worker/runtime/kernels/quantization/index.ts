/** Quantization kernels: linear (de)quantization and the integer / quantized matrix products and convolutions. */
import type { AnyKernel } from '../../kernel';
import { convIntegerKernel } from './conv-integer';
import { dequantizeLinearKernel } from './dequantize-linear';
import { dynamicQuantizeLinearKernel } from './dynamic-quantize-linear';
import { matMulIntegerKernel } from './matmul-integer';
import { qLinearConvKernel } from './qlinear-conv';
import { qLinearMatMulKernel } from './qlinear-matmul';
import { quantizeLinearKernel } from './quantize-linear';

export const quantizationKernels: readonly AnyKernel[] = [
  quantizeLinearKernel,
  dequantizeLinearKernel,
  dynamicQuantizeLinearKernel,
  matMulIntegerKernel,
  qLinearMatMulKernel,
  convIntegerKernel,
  qLinearConvKernel,
];
