/**
 * DequantizeLinear (opsets 10..25): y = (x - x_zero_point) * x_scale with per-tensor, per-axis or
 * blocked (block_size) scales; x is uint8, int8, uint16, int16 or int32. y has x_scale's type
 * (float16 scales are carried as float32 here, as every float16 value is).
 */
import { kernel, kernelFail } from '../../kernel';
import type { NumericArray } from '../../tensor';
import { expectSameShape, forEachParamRun, resolveQuantLayout } from './quant-layout';
import { FLOAT_TYPES, typedInput } from './quant-types';

export interface DequantizeLinearAttributes {
  readonly axis: number;
  readonly blockSize: number;
}

/** output_dtype values that keep the scale's float type: 0 (unset), 1 float32, 10 float16, 11 float64, 16 bfloat16 */
const FLOAT_OUTPUT_TYPES = [0, 1, 10, 11, 16];

export const dequantizeLinearKernel = kernel<DequantizeLinearAttributes>({
  op: 'DequantizeLinear',
  attributes(attrs) {
    const blockSize = attrs.int('block_size', 0);
    if (blockSize < 0) attrs.fail(`attribute "block_size" must be >= 0, got ${blockSize}`);
    const outputType = attrs.int('output_dtype', 0);
    if (!FLOAT_OUTPUT_TYPES.includes(outputType)) attrs.fail(`attribute "output_dtype" is ONNX type ${outputType}; it must be a float type (1, 10, 11, 16)`);
    return { axis: attrs.int('axis', 1), blockSize };
  },
  run(inputs, attrs, ctx) {
    const x = typedInput(inputs, 0, 'x', ['uint8', 'int8', 'uint16', 'int16', 'int32'], ctx);
    const scale = typedInput(inputs, 1, 'x_scale', FLOAT_TYPES, ctx);
    const zeroPoint = inputs[2] ? typedInput(inputs, 2, 'x_zero_point', [x.dtype], ctx) : undefined;
    if (inputs[2] && inputs[2].dtype !== x.dtype) kernelFail(ctx, `x_zero_point must have x's type ${x.dtype}`);
    const layout = resolveQuantLayout(x, scale, attrs.axis, attrs.blockSize, 'x_scale', ctx);
    if (zeroPoint) expectSameShape(zeroPoint, scale, 'x_zero_point', 'x_scale', ctx);
    const y = ctx.output(0, scale.dtype, x.shape);
    const xd = x.data;
    const yd = y.data as NumericArray;
    const sd = scale.data;
    const zd = zeroPoint?.data;
    forEachParamRun(layout, (first, end, p) => {
      const s = sd[p];
      const z = zd ? zd[p] : 0;
      for (let i = first; i < end; i++) yd[i] = (xd[i] - z) * s;
    });
    return y;
  },
});
