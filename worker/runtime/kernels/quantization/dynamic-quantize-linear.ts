/**
 * DynamicQuantizeLinear (opset 11): quantizes float32 x to uint8 with a scale and zero point
 * computed from x's own range, widened to include 0 (all in float32, as onnxruntime does):
 *   y_scale = (max - min) / 255 (1 when x is all zeros), y_zero_point = round(clamp(-min / y_scale, 0, 255))
 *   y = saturate(round(x / y_scale) + y_zero_point)
 */
import { kernel, kernelFail } from '../../kernel';
import { roundHalfEven, typedInput } from './quant-types';

export const dynamicQuantizeLinearKernel = kernel({
  op: 'DynamicQuantizeLinear',
  run(inputs, _attrs, ctx) {
    const x = typedInput(inputs, 0, 'x', ['float32'], ctx);
    const xd = x.data;
    let min = 0;
    let max = 0;
    for (let i = 0; i < xd.length; i++) {
      const v = xd[i];
      if (v < min) min = v;
      else if (v > max) max = v;
      else if (v !== v) kernelFail(ctx, `input x holds NaN at element ${i}; its range is undefined`);
    }
    const scale = max === min ? 1 : Math.fround(Math.fround(max - min) / 255);
    const initialZero = Math.fround(0 - Math.fround(min / scale));
    const zero = roundHalfEven(Math.max(0, Math.min(255, initialZero)));
    const y = ctx.output(0, 'uint8', x.shape);
    const yScale = ctx.output(1, 'float32', []);
    const yZero = ctx.output(2, 'uint8', []);
    const yd = y.data;
    for (let i = 0; i < xd.length; i++) {
      const q = roundHalfEven(Math.fround(xd[i] / scale)) + zero;
      yd[i] = q < 0 ? 0 : q > 255 ? 255 : q;
    }
    yScale.data[0] = scale;
    yZero.data[0] = zero;
    return ctx.results(y, yScale, yZero);
  },
});
