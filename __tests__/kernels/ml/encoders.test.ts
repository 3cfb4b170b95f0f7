/** @jest-environment ./__tests__/support/ort-environment.js */
import { attr, input, node, output, tensor, type AttrSpec } from '../../support/onnx-builder';
import type { DType, Tensor } from '../../../worker/runtime/tensor';
import { checkAgainstOrt, ML } from './ml-check';

function encoder(mlOpset: number, attributes: Record<string, AttrSpec>, x: Tensor, outType: DType) {
  return {
    opsets: { '': 17, [ML]: mlOpset },
    inputs: [input('X', x.dtype, x.shape)],
    outputs: [output('Y', outType, x.shape)],
    nodes: [node('LabelEncoder', ['X'], ['Y'], attributes, ML)],
  };
}

describe('LabelEncoder against onnxruntime', () => {
  const words = tensor('string', [2, 3], ['cat', 'dog', 'bird', 'dog', 'fish', 'cat']);

  it('opset 1: strings to their index in classes_strings, and back', async () => {
    await checkAgainstOrt(encoder(1, { classes_strings: attr.strings(['cat', 'dog', 'bird']), default_int64: attr.int(-7) }, words, 'int64'), { X: words });
    const ids = tensor('int64', [4], [0, 2, 1, 9]);
    await checkAgainstOrt(encoder(1, { classes_strings: attr.strings(['cat', 'dog', 'bird']), default_string: attr.string('?') }, ids, 'string'), { X: ids });
  });

  it('opset 2: every key/value list combination with defaults', async () => {
    const floats = tensor('float32', [5], [0.5, 1.5, -2, 7, 0.5]);
    const ints = tensor('int64', [4], [1, 2, 3, 4]);
    await checkAgainstOrt(encoder(2, { keys_strings: attr.strings(['cat', 'dog']), values_int64s: attr.ints([10, 20]) }, words, 'int64'), { X: words });
    await checkAgainstOrt(encoder(2, { keys_strings: attr.strings(['cat', 'dog']), values_floats: attr.floats([0.5, 1.5]), default_float: attr.float(9) }, words, 'float32'), { X: words });
    await checkAgainstOrt(encoder(2, { keys_strings: attr.strings(['cat', 'fish']), values_strings: attr.strings(['meow', 'blub']) }, words, 'string'), { X: words });
    await checkAgainstOrt(encoder(2, { keys_floats: attr.floats([0.5, -2]), values_strings: attr.strings(['half', 'minus two']), default_string: attr.string('none') }, floats, 'string'), { X: floats });
    await checkAgainstOrt(encoder(2, { keys_floats: attr.floats([0.5, 1.5]), values_int64s: attr.ints([1, 2]) }, floats, 'int64'), { X: floats });
    await checkAgainstOrt(encoder(2, { keys_floats: attr.floats([0.5, 7]), values_floats: attr.floats([5, 70]) }, floats, 'float32'), { X: floats });
    await checkAgainstOrt(encoder(2, { keys_int64s: attr.ints([1, 3]), values_strings: attr.strings(['one', 'three']) }, ints, 'string'), { X: ints });
    await checkAgainstOrt(encoder(2, { keys_int64s: attr.ints([1, 3]), values_int64s: attr.ints([100, 300]), default_int64: attr.int(0) }, ints, 'int64'), { X: ints });
    await checkAgainstOrt(encoder(2, { keys_int64s: attr.ints([2, 4]), values_floats: attr.floats([0.2, 0.4]) }, ints, 'float32'), { X: ints });
  });

  it('opset 4: tensor keys, values and default', async () => {
    const ints = tensor('int64', [4], [1, 2, 3, 4]);
    await checkAgainstOrt(
      encoder(4, {
        keys_tensor: attr.tensor(tensor('int64', [2], [1, 4])),
        values_tensor: attr.tensor(tensor('string', [2], ['first', 'last'])),
        default_tensor: attr.tensor(tensor('string', [1], ['middle'])),
      }, ints, 'string'),
      { X: ints },
    );
    const doubles = tensor('float64', [3], [0.25, 1e-300, NaN]);
    await checkAgainstOrt(
      encoder(4, {
        keys_tensor: attr.tensor(tensor('float64', [3], [0.25, 1e-300, NaN])),
        values_tensor: attr.tensor(tensor('float64', [3], [1, 2, 3])),
      }, doubles, 'float64'),
      { X: doubles },
    );
  });
});

describe('OneHotEncoder and ArrayFeatureExtractor against onnxruntime', () => {
  it('one-hot encodes strings and integers, unknown values as zero rows', async () => {
    const words = tensor('string', [2, 2], ['a', 'c', 'zzz', 'b']);
    const spec = (x: Tensor, attributes: Record<string, AttrSpec>) => ({
      opsets: { '': 17, [ML]: 1 },
      inputs: [input('X', x.dtype, x.shape)],
      outputs: [output('Y', 'float32', null)],
      nodes: [node('OneHotEncoder', ['X'], ['Y'], attributes, ML)],
    });
    await checkAgainstOrt(spec(words, { cats_strings: attr.strings(['a', 'b', 'c']) }), { X: words });
    const ints = tensor('int64', [1, 4], [3, 1, 2, 8]);
    await checkAgainstOrt(spec(ints, { cats_int64s: attr.ints([1, 2, 3]), zeros: attr.int(1) }), { X: ints });
    const floats = tensor('float32', [3], [1, 2.7, 3]);
    await checkAgainstOrt(spec(floats, { cats_int64s: attr.ints([1, 2, 3]) }), { X: floats });
  });

  it('extracts columns by index (2-D, 3-D and 1-D inputs, strings too)', async () => {
    for (const x of [
      tensor('float32', [2, 4], [0, 1, 2, 3, 10, 11, 12, 13]),
      tensor('int64', [2, 2, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
      tensor('string', [3], ['x', 'y', 'z']),
    ]) {
      const spec = {
        opsets: { '': 17, [ML]: 1 },
        inputs: [input('X', x.dtype, x.shape), input('I', 'int64', [2])],
        outputs: [output('Y', x.dtype, null)],
        nodes: [node('ArrayFeatureExtractor', ['X', 'I'], ['Y'], {}, ML)],
      };
      await checkAgainstOrt(spec, { X: x, I: tensor('int64', [2], [2, 0]) });
    }
  });
});
