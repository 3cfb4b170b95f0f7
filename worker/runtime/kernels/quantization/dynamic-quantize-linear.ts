/**
 * DynamicQuantizeLinear (opset 11): quantizes float32 x to uint8 with a scale and zero point
 * computed from x's own range, widened to include 0 (all in float32, as onnxruntime does):
 *   y_scale = (max - min) / 255 (1 when x is all zeros), y_zero_point = round(clamp(-min / y_scale, 0, 255))
 *   y = saturate(round(x / y_scale) + y_zero_point)
 */
import { kernel, kernelFail, type KernelContext } from '../../kernel';
import { roundHalfEven, typedInput } from './quant-types';

export interface DynamicRange {
  readonly scale: number;
  readonly zero: number;
}

/** The uint8 scale and zero point of `x` (named `name` in the NaN error), from its range widened to 0. */
export function dynamicRange(x: Float32Array, name: string, ctx: Pick<KernelContext, 'node'>): DynamicRange {
  let min = 0;
  let max = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v < min) min = v;
    else if (v > max) max = v;
    else if (v !== v) kernelFail(ctx, `input ${name} holds NaN at element ${i}; its range is undefined`);
  }
  const scale = max === min ? 1 : Math.fround(Math.fround(max - min) / 255);
  const initialZero = Math.fround(0 - Math.fround(min / scale));
  return { scale, zero: roundHalfEven(Math.max(0, Math.min(255, initialZero))) };
}

/** y = saturate(round(x / scale) + zero) into uint8. */
export function quantizeUint8(x: Float32Array, { scale, zero }: DynamicRange, y: Uint8Array): void {
  for (let i = 0; i < x.length; i++) {
    const q = roundHalfEven(Math.fround(x[i] / scale)) + zero;
    y[i] = q < 0 ? 0 : q > 255 ? 255 : q;
  }
}

export const dynamicQuantizeLinearKernel = kernel({
  op: 'DynamicQuantizeLinear',
  run(inputs, _attrs, ctx) {
    const x = typedInput(inputs, 0, 'x', ['float32'], ctx);
    const range = dynamicRange(x.data as Float32Array, 'x', ctx);
    const y = ctx.output(0, 'uint8', x.shape);
    const yScale = ctx.output(1, 'float32', []);
    const yZero = ctx.output(2, 'uint8', []);
    quantizeUint8(x.data as Float32Array, range, y.data);
    yScale.data[0] = range.scale;
    yZero.data[0] = range.zero;
    return ctx.results(y, yScale, yZero);
  },
});
