/**
 * Constant (a tensor held in an attribute, in any of its spellings) and ConstantOfShape (a tensor
 * of a run-time shape filled with one value).
 */
import type { AttributeReader } from '../../kernel';
import { kernel, kernelFail, required } from '../../kernel';
import { Tensor } from '../../tensor';
import { fillRange, readInts } from './common';
import { shapeText } from '../common/shape-text';

/** The one tensor a Constant node defines, whichever attribute carries it. */
function constantValue(a: AttributeReader): Tensor {
  const given = ['value', 'value_float', 'value_floats', 'value_int', 'value_ints', 'value_string', 'value_strings', 'sparse_value'].filter((n) =>
    a.has(n),
  );
  if (given.length !== 1) a.fail(`exactly one value attribute is required, got ${given.length ? given.join(', ') : 'none'}`);
  switch (given[0]) {
    case 'value':
      return a.tensor('value');
    case 'value_float':
      return Tensor.from('float32', [], [a.float('value_float')]);
    case 'value_floats': {
      const v = a.floats('value_floats');
      return Tensor.from('float32', [v.length], v);
    }
    case 'value_int':
      return Tensor.from('int64', [], [a.int('value_int')]);
    case 'value_ints': {
      const v = a.ints('value_ints');
      return Tensor.from('int64', [v.length], v);
    }
    case 'value_string':
      return Tensor.from('string', [], [a.string('value_string')]);
    case 'value_strings': {
      const v = a.strings('value_strings');
      return Tensor.from('string', [v.length], v);
    }
    default:
      return a.fail('sparse_value is not supported; store the constant as a dense tensor ("value")');
  }
}

export const constantKernel = kernel({
  op: 'Constant',
  attributes: (a) => ({ value: constantValue(a) }),
  // the attribute tensor itself: kernels never write into their inputs, so sharing it is safe
  run: (_inputs, attrs) => [attrs.value],
});

export const constantOfShapeKernel = kernel({
  op: 'ConstantOfShape',
  attributes: (a) => {
    const value = a.has('value') ? a.tensor('value') : Tensor.from('float32', [1], [0]);
    if (value.size !== 1) a.fail(`attribute "value" must hold exactly one element, got shape ${shapeText(value.shape)}`);
    return { value };
  },
  run(inputs, attrs, ctx) {
    const shape = readInts(required(inputs, 0, ctx), ctx, 'shape');
    if (shape.some((d) => d < 0)) kernelFail(ctx, `shape ${shapeText(shape)} has a negative dimension`);
    const out = ctx.output(0, attrs.value.dtype, shape);
    fillRange(out.data, attrs.value.data[0], 0, out.data.length);
    return out;
  },
});
