import { int64Words, setInt64 } from '../../worker/runtime/kernels/int64-words';
import { draftShape, keepShape, keepShape2, keepShapeConcat } from '../../worker/runtime/kernels/output-shape';
import { outputList, outputList2 } from '../../worker/runtime/kernels/result-list';
import { Tensor, sizeBetween } from '../../worker/runtime/tensor';

describe('setInt64 (int64 outputs without BigInts)', () => {
  it.each([0, 1, -1, 7, -7, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 32, 2 ** 32 + 5, -(2 ** 32) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER])(
    'stores %d exactly',
    (v) => {
      const a = new BigInt64Array(3);
      const words = int64Words(a)!;
      expect(words).not.toBeNull();
      setInt64(words, 1, v);
      expect(a[1]).toBe(BigInt(v));
      expect(a[0]).toBe(0n);
      expect(a[2]).toBe(0n);
    },
  );

  it('views an array that starts inside its buffer', () => {
    const a = new BigInt64Array(new ArrayBuffer(32), 8, 2);
    setInt64(int64Words(a)!, 0, -3);
    expect(Array.from(a)).toEqual([-3n, 0n]);
  });
});

describe('keepShape (output shapes kept per node)', () => {
  it('returns the kept array while the dimensions are the same and a new one when they change', () => {
    const owner = {};
    const a = keepShape2(owner, 0, 1, 10);
    expect(keepShape2(owner, 0, 1, 10)).toBe(a);
    const b = keepShape2(owner, 0, 32, 10);
    expect(b).not.toBe(a);
    expect(a).toEqual([1, 10]); // never modified once handed out
    expect(b).toEqual([32, 10]);
    expect(keepShape2(owner, 1, 32, 10)).not.toBe(b); // slots are separate
  });

  it('keeps shapes of other ranks apart and copies the draft', () => {
    const owner = {};
    const s4 = keepShapeConcat(owner, 0, 2, 3, [4, 5]);
    expect(s4).toEqual([2, 3, 4, 5]);
    const d = draftShape(4);
    d[0] = 9;
    expect(s4).toEqual([2, 3, 4, 5]);
    expect(keepShape(owner, 0, [2, 3, 4, 5])).toBe(s4);
  });
});

describe('outputList', () => {
  it('reuses one list per node', () => {
    const ctx = {};
    const t1 = Tensor.zeros('float32', [1]);
    const t2 = Tensor.zeros('float32', [2]);
    const l = outputList(ctx, t1);
    expect(outputList(ctx, t2)).toBe(l);
    expect(l).toEqual([t2]);
    expect(outputList2(ctx, t1, t2)).toEqual([t1, t2]);
    expect(outputList({}, t1)).not.toBe(l);
  });
});

describe('sizeBetween', () => {
  it('multiplies shape[from, to)', () => {
    expect(sizeBetween([2, 3, 4], 0, 0)).toBe(1);
    expect(sizeBetween([2, 3, 4], 1)).toBe(12);
    expect(sizeBetween([2, 3, 4], 0, 2)).toBe(6);
    expect(sizeBetween([2, 3, 4], 3)).toBe(1);
  });
});
