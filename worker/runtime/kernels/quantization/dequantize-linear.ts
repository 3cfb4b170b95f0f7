/**
 * DequantizeLinear (opsets 10..25): y = (x - x_zero_point) * x_scale with per-tensor, per-axis or
 * blocked (block_size) scales; x is uint8, int8, uint16, int16 or int32. y has x_scale's type
 * (float16 scales are carried as float32 here, as every float16 value is).
 */
import { kernel } from '../../kernel';
import type { NumericArray } from '../../tensor';
import { forEachScaleRun, quantParams, readQuantAxis, type QuantAxisAttributes } from './quant-layout';
import { typedInput } from './quant-types';

/** output_dtype values that keep the scale's float type: 0 (unset), 1 float32, 10 float16, 11 float64, 16 bfloat16 */
const FLOAT_OUTPUT_TYPES = [0, 1, 10, 11, 16];

export const dequantizeLinearKernel = kernel<QuantAxisAttributes>({
  op: 'DequantizeLinear',
  attributes(attrs) {
    const quantAxis = readQuantAxis(attrs);
    const outputType = attrs.int('output_dtype', 0);
    if (!FLOAT_OUTPUT_TYPES.includes(outputType)) attrs.fail(`attribute "output_dtype" is ONNX type ${outputType}; it must be a float type (1, 10, 11, 16)`);
    return quantAxis;
  },
  run(inputs, attrs, ctx) {
    const x = typedInput(inputs, 0, 'x', ['uint8', 'int8', 'uint16', 'int16', 'int32'], ctx);
    // the zero point has x's type
    const params = quantParams(inputs, x, attrs, 'x', [x.dtype], ctx);
    const y = ctx.output(0, params.scale.dtype, x.shape);
    const xd = x.data;
    const yd = y.data as NumericArray;
    forEachScaleRun(params, (first, end, s, z) => {
      for (let i = first; i < end; i++) yd[i] = (xd[i] - z) * s;
    });
    return y;
  },
});
