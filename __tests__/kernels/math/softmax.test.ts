import { logSoftmaxKernel, softmaxKernel } from '../../../worker/runtime/kernels/math/softmax';
import { f32, f64, i32, run1, values } from '../kernel-harness';

const softmax = (row: number[]) => {
  const e = row.map((v) => Math.exp(v - Math.max(...row)));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

function expectClose(actual: (number | string)[], expected: number[], digits = 12): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(v as number).toBeCloseTo(expected[i], digits));
}

describe('Softmax / LogSoftmax', () => {
  const x = () => f64([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 9]);

  it('normalises along the last axis by default (opset 13)', () => {
    const y = run1(softmaxKernel, [x()]);
    expectClose(values(y), [...softmax([1, 2]), ...softmax([3, 4]), ...softmax([5, 6]), ...softmax([7, 9])]);
    expectClose(values(run1(logSoftmaxKernel, [x()])), [...softmax([1, 2]), ...softmax([3, 4]), ...softmax([5, 6]), ...softmax([7, 9])].map(Math.log));
  });

  it('normalises along a middle axis', () => {
    const y = values(run1(softmaxKernel, [x()], { attributes: { axis: 1 } }));
    const [a, b] = [softmax([1, 3]), softmax([2, 4])];
    const [c, d] = [softmax([5, 7]), softmax([6, 9])];
    expectClose(y, [a[0], b[0], a[1], b[1], c[0], d[0], c[1], d[1]]);
  });

  it('coerces to 2-D at axis (default 1) before opset 13', () => {
    const y = values(run1(softmaxKernel, [x()], { opset: 11 }));
    expectClose(y, [...softmax([1, 2, 3, 4]), ...softmax([5, 6, 7, 9])]);
    const z = values(run1(logSoftmaxKernel, [x()], { opset: 11, attributes: { axis: 2 } }));
    expectClose(z, [...softmax([1, 2]), ...softmax([3, 4]), ...softmax([5, 6]), ...softmax([7, 9])].map(Math.log));
  });

  it('stays finite for large inputs and stores float32', () => {
    const y = run1(softmaxKernel, [f32([2], [1000, 1000])]);
    expect(y.dtype).toBe('float32');
    expect(values(y)).toEqual([0.5, 0.5]);
    expectClose(values(run1(logSoftmaxKernel, [f32([2], [1000, 0])])), [0, -1000], 3);
  });

  it('rejects integers and a bad axis', () => {
    expect(() => run1(softmaxKernel, [i32([2], [1, 2])])).toThrow(/Softmax node "n0": input has dtype int32/);
    expect(() => run1(softmaxKernel, [x()], { attributes: { axis: 3 } })).toThrow(/axis 3 is out of range for a tensor of rank 3/);
  });
});
