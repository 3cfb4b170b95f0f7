import { AttributeReader } from '../../worker/runtime/kernel';
import type { Node } from '../../worker/runtime/graph';

const reader = (attributes: Node['attributes']) =>
  new AttributeReader({ op: 'ReduceMin', domain: '', name: 'r', inputs: ['x'], outputs: ['y'], attributes });

describe('AttributeReader', () => {
  it('makes an attribute required only when no fallback is given', () => {
    expect(() => reader({}).ints('axes')).toThrow(/ReduceMin node "r": attribute "axes" is required/);
    expect(reader({}).ints('axes', undefined)).toBeUndefined();
    expect(reader({}).int('keepdims', 1)).toBe(1);
    expect(reader({ axes: [0, -1] }).ints('axes', undefined)).toEqual([0, -1]);
  });

  it('names the attribute and the expected kind when the type is wrong', () => {
    expect(() => reader({ keepdims: 'yes' }).int('keepdims', 1)).toThrow(/attribute "keepdims" must be an integer/);
    expect(() => reader({ axes: ['a'] }).ints('axes', undefined)).toThrow(/attribute "axes" must be a list of integers/);
    expect(() => reader({ mode: 'cubic' }).oneOf('mode', ['nearest', 'linear'], 'nearest')).toThrow(/"cubic"; supported: nearest, linear/);
  });
});
