/**
 * QLinearConv (opset 10): a quantized convolution,
 *   y = saturate(round((conv(x - x_zp, w - w_zp) + B) * x_scale * w_scale / y_scale) + y_zp)
 * with w's scale and zero point per tensor or per output channel, and an optional int32 bias B.
 * The output type is y_zero_point's.
 */
import { kernel, kernelFail } from '../../kernel';
import type { NumericArray } from '../../tensor';
import { readConvIntegerAttributes, type ConvIntegerAttributes } from './conv-integer';
import { integerConv, perChannel, planIntegerConv } from './integer-conv';
import { multiplierOf, outputQuantization, requantizeAll } from './requantize';
import { FLOAT_TYPES, INT8_TYPES, scalarValue, typedInput } from './quant-types';

export const qLinearConvKernel = kernel<ConvIntegerAttributes>({
  op: 'QLinearConv',
  attributes: (attrs) => readConvIntegerAttributes(attrs),
  run(inputs, attrs, ctx) {
    const x = typedInput(inputs, 0, 'x', INT8_TYPES, ctx);
    const xScale = scalarValue(typedInput(inputs, 1, 'x_scale', FLOAT_TYPES, ctx), 'x_scale', ctx);
    const xZero = scalarValue(typedInput(inputs, 2, 'x_zero_point', [x.dtype], ctx), 'x_zero_point', ctx);
    const w = typedInput(inputs, 3, 'w', INT8_TYPES, ctx);
    const wScaleT = typedInput(inputs, 4, 'w_scale', FLOAT_TYPES, ctx);
    const wZeroT = typedInput(inputs, 5, 'w_zero_point', [w.dtype], ctx);
    const { scale: yScale, zeroPoint: yZero, dtype } = outputQuantization(inputs, ctx);
    const plan = planIntegerConv(x, w, attrs, attrs.group, ctx);
    const channels = plan.outChannels;
    const wScale = perChannel(wScaleT, channels, 'w_scale', ctx);
    const wZero = perChannel(wZeroT, channels, 'w_zero_point', ctx);
    const bias = inputs[8] ? typedInput(inputs, 8, 'B', ['int32'], ctx) : undefined;
    if (bias && (bias.rank !== 1 || bias.size !== channels)) kernelFail(ctx, `input B of shape [${bias.shape.join(', ')}] must be [${channels}] (one int32 per output channel)`);

    const acc = new Int32Array(plan.outShape.reduce((s, d) => s * d, 1));
    integerConv(x, xZero, w, wZero, attrs.group, plan, acc);
    const channelOf = (i: number) => Math.floor(i / plan.spatialSize) % channels;
    if (bias) for (let i = 0; i < acc.length; i++) acc[i] = (acc[i] + bias.data[channelOf(i)]) | 0;
    const multipliers = Float64Array.from({ length: channels }, (_, m) => multiplierOf(xScale, wScale(m), yScale));
    const y = ctx.output(0, dtype, plan.outShape);
    requantizeAll(acc, y.data as NumericArray, multipliers, yZero, dtype, channelOf);
    return y;
  },
});
