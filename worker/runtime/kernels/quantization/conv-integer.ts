/**
 * ConvInteger (opset 10): the int32 convolution of uint8/int8 x and w minus their zero points
 * (x's per tensor, w's per tensor or per output channel); Conv's attributes.
 */
import { kernel } from '../../kernel';
import { readSpatial, type SpatialAttributes } from '../conv/spatial';
import { integerConv, perChannel, planIntegerConv } from './integer-conv';
import { INT8_TYPES, scalarValue, typedInput } from './quant-types';

export interface ConvIntegerAttributes extends SpatialAttributes {
  readonly group: number;
}

export function readConvIntegerAttributes(attrs: Parameters<typeof readSpatial>[0]): ConvIntegerAttributes {
  const group = attrs.int('group', 1);
  if (group < 1) attrs.fail(`attribute "group" must be a positive integer, got ${group}`);
  return { ...readSpatial(attrs, false), group };
}

export const convIntegerKernel = kernel<ConvIntegerAttributes>({
  op: 'ConvInteger',
  attributes: (attrs) => readConvIntegerAttributes(attrs),
  run(inputs, attrs, ctx) {
    const x = typedInput(inputs, 0, 'x', INT8_TYPES, ctx);
    const w = typedInput(inputs, 1, 'w', INT8_TYPES, ctx);
    const xZero = inputs[2] ? scalarValue(typedInput(inputs, 2, 'x_zero_point', [x.dtype], ctx), 'x_zero_point', ctx) : 0;
    const plan = planIntegerConv(x, w, attrs, attrs.group, ctx);
    const wZero = inputs[3] ? perChannel(typedInput(inputs, 3, 'w_zero_point', [w.dtype], ctx), plan.outChannels, 'w_zero_point', ctx) : () => 0;
    const y = ctx.output(0, 'int32', plan.outShape);
    integerConv(x, xZero, w, wZero, attrs.group, plan, y.data);
    return y;
  },
});
