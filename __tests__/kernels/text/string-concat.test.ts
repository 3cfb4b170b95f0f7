import { stringConcatKernel } from '../../../worker/runtime/kernels/text/string-concat';
import { KernelError } from '../../../worker/runtime/errors';
import { run1, tensor } from '../kernel-harness';

describe('StringConcat', () => {
  it('concatenates elementwise with broadcasting', () => {
    const x = tensor('string', [2, 1], ['a', 'b']);
    const y = tensor('string', [3], ['1', '', 'ü']);
    const z = run1(stringConcatKernel, [x, y]);
    expect(z.shape).toEqual([2, 3]);
    expect(z.data).toEqual(['a1', 'a', 'aü', 'b1', 'b', 'bü']);
  });

  it('works on scalars', () => {
    expect(run1(stringConcatKernel, [tensor('string', [], ['x']), tensor('string', [], ['y'])]).data).toEqual(['xy']);
  });

  it('rejects shapes that do not broadcast and non-string inputs', () => {
    expect(() => run1(stringConcatKernel, [tensor('string', [2], ['a', 'b']), tensor('string', [3], ['a', 'b', 'c'])])).toThrow(/do not broadcast/);
    expect(() => run1(stringConcatKernel, [tensor('int32', [1], [1]), tensor('string', [1], ['a'])])).toThrow(KernelError);
  });
});
