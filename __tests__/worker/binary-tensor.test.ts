/**
 * The binary tensor data codec (worker/protocol/binary-tensor.ts) for every datatype, against
 * bytes written independently the way numpy lays them out: little-endian, row-major, BOOL one
 * byte, BYTES a 4-byte little-endian length and the bytes, FP16 IEEE half floats.
 */
import { Tensor } from '../../worker/runtime/tensor';
import { encodeBinaryTensor, readBinaryTensor } from '../../worker/protocol/binary-tensor';
import type { Datatype } from '../../worker/protocol/datatypes';
import { tensorBytes } from './support/binary-protocol';

const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

const cases: Array<[Datatype, Uint8Array, unknown[]]> = [
  ['UINT8', Uint8Array.from([0, 7, 255]), [0, 7, 255]],
  ['INT8', bytes(Int8Array.from([-128, 0, 127])), [-128, 0, 127]],
  ['UINT16', bytes(Uint16Array.from([0, 513, 65535])), [0, 513, 65535]],
  ['INT16', bytes(Int16Array.from([-32768, -1, 32767])), [-32768, -1, 32767]],
  ['UINT32', bytes(Uint32Array.from([0, 1, 4294967295])), [0, 1, 4294967295]],
  ['INT32', bytes(Int32Array.from([-2147483648, 5, 2147483647])), [-2147483648, 5, 2147483647]],
  ['UINT64', bytes(BigUint64Array.from([0n, 2n ** 60n, 2n ** 64n - 1n])), [0n, 2n ** 60n, 2n ** 64n - 1n]],
  ['INT64', bytes(BigInt64Array.from([-(2n ** 63n), 9007199254740993n, 2n ** 63n - 1n])), [-(2n ** 63n), 9007199254740993n, 2n ** 63n - 1n]],
  ['FP32', bytes(Float32Array.from([NaN, -0, Infinity])), [NaN, -0, Infinity]],
  ['FP64', bytes(Float64Array.from([Number.MIN_VALUE, -Infinity, 0.1])), [Number.MIN_VALUE, -Infinity, 0.1]],
  // 1.0, -2^-24 (the smallest subnormal half, negative), 65504 (the largest half)
  ['FP16', bytes(Uint16Array.from([0x3c00, 0x8001, 0x7bff])), [1, -(2 ** -24), 65504]],
  ['BOOL', Uint8Array.from([1, 0, 1]), [1, 0, 1]],
  ['BYTES', tensorBytes('BYTES', ['', 'héllo', '\u{1F600}']), ['', 'héllo', '\u{1F600}']],
];

describe('binary tensors', () => {
  it.each(cases)('%s decodes numpy-layout bytes and encodes them back byte for byte', (datatype, raw, values) => {
    const t = readBinaryTensor(raw, [3], datatype, 'input "t"');
    expect(Array.from(t.data as ArrayLike<unknown>)).toEqual(values);
    expect(encodeBinaryTensor(t, datatype)).toEqual(raw);
  });

  it('reads an unaligned slice of the body', () => {
    const body = new Uint8Array(13);
    body.set(bytes(Float32Array.from([1.5, -2.5, 3])), 1);
    const t = readBinaryTensor(body.subarray(1), [3], 'FP32', 'input "t"');
    expect(Array.from(t.data as Float32Array)).toEqual([1.5, -2.5, 3]);
  });

  it('encodes bool tensors as 0/1 bytes and string tensors with length prefixes', () => {
    expect(encodeBinaryTensor(new Tensor('bool', [2], Uint8Array.from([0, 1])), 'BOOL')).toEqual(Uint8Array.from([0, 1]));
    expect(encodeBinaryTensor(new Tensor('string', [2], ['ab', 'c']), 'BYTES')).toEqual(Uint8Array.from([2, 0, 0, 0, 97, 98, 1, 0, 0, 0, 99]));
  });
});
