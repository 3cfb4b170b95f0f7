/**
 * QuantizeLinear (opsets 10..25): y = saturate(round_half_even(x / y_scale) + y_zero_point)
 * with per-tensor, per-axis or blocked (block_size) scales. The output type is y_zero_point's
 * (uint8, int8, uint16, int16), else `output_dtype`, else uint8. The division is rounded to
 * float32 first, as onnxruntime divides in float32, so ties fall the same way.
 */
import { kernel, kernelFail } from '../../kernel';
import type { NumericArray } from '../../tensor';
import { forEachScaleRun, quantParams, readQuantAxis, type QuantAxisAttributes } from './quant-layout';
import { FLOAT_TYPES, QUANT_DTYPE_BY_ONNX_TYPE, isQuantDType, roundHalfEven, typedInput, type QuantDType } from './quant-types';
import { INTEGER_RANGES } from '../common/dtypes';

export interface QuantizeLinearAttributes extends QuantAxisAttributes {
  /** from output_dtype; null when the attribute is absent (0) */
  readonly outputDType: QuantDType | null;
}

export const quantizeLinearKernel = kernel<QuantizeLinearAttributes>({
  op: 'QuantizeLinear',
  attributes(attrs) {
    const quantAxis = readQuantAxis(attrs);
    const outputType = attrs.int('output_dtype', 0);
    const outputDType = outputType === 0 ? null : QUANT_DTYPE_BY_ONNX_TYPE[outputType];
    if (outputDType === undefined) {
      attrs.fail(`attribute "output_dtype" is ONNX type ${outputType}; supported: 2 (uint8), 3 (int8), 4 (uint16), 5 (int16)`);
    }
    const saturate = attrs.int('saturate', 1);
    if (saturate !== 0 && saturate !== 1) attrs.fail(`attribute "saturate" must be 0 or 1, got ${saturate}`);
    return { ...quantAxis, outputDType };
  },
  run(inputs, attrs, ctx) {
    const x = typedInput(inputs, 0, 'x', [...FLOAT_TYPES, 'int32'], ctx);
    const params = quantParams(inputs, x, attrs, 'y', ['uint8', 'int8', 'uint16', 'int16'], ctx);
    const zeroPoint = params.zeroPoint;
    const dtype = zeroPoint ? zeroPoint.dtype : (attrs.outputDType ?? 'uint8');
    if (!isQuantDType(dtype)) kernelFail(ctx, `cannot quantize to ${dtype}`);
    if (zeroPoint && attrs.outputDType !== null && attrs.outputDType !== dtype) {
      kernelFail(ctx, `output_dtype asks for ${attrs.outputDType} but y_zero_point is ${dtype}; they must agree`);
    }
    const y = ctx.output(0, dtype, x.shape);
    const [lo, hi] = INTEGER_RANGES[dtype];
    const xd = x.data;
    const yd = y.data as NumericArray;
    forEachScaleRun(params, (first, end, s, z) => {
      for (let i = first; i < end; i++) {
        const q = roundHalfEven(Math.fround(xd[i] / s)) + z;
        yd[i] = q < lo ? lo : q > hi ? hi : q;
      }
    });
    return y;
  },
});
