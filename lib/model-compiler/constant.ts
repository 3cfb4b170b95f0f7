/** The value of an ONNX Constant node, which the compiler turns into an initializer. */
import { ModelError } from '../../worker/runtime/errors';
import type { Node } from '../../worker/runtime/graph';
import { nodeLabel } from '../../worker/runtime/graph';
import { Tensor } from '../../worker/runtime/tensor';

export function constantValue(node: Node): Tensor {
  const a = node.attributes;
  const fail = (msg: string): never => {
    throw new ModelError(`${nodeLabel(node)}: ${msg}`);
  };
  const keys = Object.keys(a);
  if (keys.length !== 1) fail(`a Constant needs exactly one value attribute, found ${keys.length ? keys.join(', ') : 'none'}`);
  const v = a[keys[0]];
  switch (keys[0]) {
    case 'value':
      if (!(v instanceof Tensor)) fail('attribute "value" must be a tensor');
      return v as Tensor;
    case 'value_float':
      if (typeof v !== 'number') fail('attribute "value_float" must be a number');
      return Tensor.from('float32', [], [v as number]);
    case 'value_floats':
      if (!Array.isArray(v)) fail('attribute "value_floats" must be a list of numbers');
      return Tensor.from('float32', [(v as number[]).length], v as number[]);
    case 'value_int':
      if (typeof v !== 'number') fail('attribute "value_int" must be an integer');
      return Tensor.from('int64', [], [v as number]);
    case 'value_ints':
      if (!Array.isArray(v)) fail('attribute "value_ints" must be a list of integers');
      return Tensor.from('int64', [(v as number[]).length], v as number[]);
    case 'value_string':
      if (typeof v !== 'string') fail('attribute "value_string" must be a string');
      return Tensor.from('string', [], [v as string]);
    case 'value_strings':
      if (!Array.isArray(v)) fail('attribute "value_strings" must be a list of strings');
      return Tensor.from('string', [(v as string[]).length], v as string[]);
    default:
      return fail(`attribute "${keys[0]}" is not supported (sparse constants are not); use a dense "value"`);
  }
}
