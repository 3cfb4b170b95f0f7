/** Quantization kernels: linear (de)quantization and the integer / quantized matrix products and convolutions. */
import type { AnyKernel } from '../../kernel';
import { convInteger } from './conv-integer';
import { dequantizeLinear } from './dequantize-linear';
import { dynamicQuantizeLinear } from './dynamic-quantize-linear';
import { matMulInteger } from './matmul-integer';
import { qlinearConv } from './qlinear-conv';
import { qlinearMatMul } from './qlinear-matmul';
import { quantizeLinear } from './quantize-linear';

export const quantizationKernels: readonly AnyKernel[] = [
  quantizeLinear,
  dequantizeLinear,
  dynamicQuantizeLinear,
  matMulInteger,
  qlinearMatMul,
  convInteger,
  qlinearConv,
];
