import { int64Words, setInt64 } from '../../worker/runtime/kernels/common/int64-words';
import type { Node } from '../../worker/runtime/graph';
import { NodeContext } from '../../worker/runtime/node-context';
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

describe('NodeContext.results (the output list the session owns)', () => {
  it('reuses one list per node, sized to the outputs given', () => {
    const node: Node = { op: 'X', domain: '', name: 'x', inputs: [], outputs: ['a', 'b'], attributes: {} };
    const ctx = new NodeContext(node, 1, () => []);
    const t1 = Tensor.zeros('float32', [1]);
    const t2 = Tensor.zeros('float32', [2]);
    const l = ctx.results(t1, t2);
    expect(l).toEqual([t1, t2]);
    expect(ctx.results(t2, t1)).toBe(l);
    expect(l).toEqual([t2, t1]);
    expect(ctx.results(t1)).toEqual([t1]);
    expect(new NodeContext(node, 1, () => []).results(t1, t2)).not.toBe(l);
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
