/**
 * Integer bit operations: BitwiseAnd/Or/Xor/Not on any integer type, and BitShift (LEFT/RIGHT)
 * on unsigned types. Results are stored in the input type, so bits shifted out of it are lost;
 * a shift by the type's width or more gives 0 (C leaves it undefined, JavaScript would shift
 * modulo 32).
 */
import { kernel, required } from '../../kernel';
import type { DType } from '../../tensor';
import type { BinaryFn } from './binary-loop';
import { binaryKernel } from './binary-kernel';
import { INTS, UNSIGNED_INTS } from '../common/dtypes';
import { expectDType } from '../common/inputs';

export const bitwiseAndKernel = binaryKernel('BitwiseAnd', { dtypes: INTS, fn: () => (a, b) => a & b });
export const bitwiseOrKernel = binaryKernel('BitwiseOr', { dtypes: INTS, fn: () => (a, b) => a | b });
export const bitwiseXorKernel = binaryKernel('BitwiseXor', { dtypes: INTS, fn: () => (a, b) => a ^ b });

export const bitwiseNotKernel = kernel({
  op: 'BitwiseNot',
  run(inputs, _attrs, ctx) {
    const x = required(inputs, 0, ctx);
    expectDType(ctx, x, INTS, 'input X');
    const out = ctx.output(0, x.dtype, x.shape);
    const src = x.data as unknown as { [i: number]: any; length: number };
    const dst = out.data as unknown as { [i: number]: any };
    // typed-array stores wrap ~v (a signed 32-bit number or a bigint) into the element type
    for (let i = 0; i < src.length; i++) dst[i] = ~src[i];
    return out;
  },
});

const WIDTH: Partial<Record<DType, number>> = { uint8: 8, uint16: 16, uint32: 32 };

interface BitShiftAttrs {
  readonly left: boolean;
}

export const bitShiftKernel = binaryKernel<BitShiftAttrs>('BitShift', {
  dtypes: UNSIGNED_INTS,
  attributes: (r) => {
    if (!r.has('direction')) r.fail('attribute "direction" is required: LEFT or RIGHT');
    return { left: r.oneOf('direction', ['LEFT', 'RIGHT'] as const, 'LEFT') === 'LEFT' };
  },
  fn: (dtype, { left }) => shiftFn(dtype, left),
});

function shiftFn(dtype: DType, left: boolean): BinaryFn {
  if (dtype === 'uint64') {
    return left ? (a: bigint, b: bigint) => (b >= 64n ? 0n : a << b) : (a: bigint, b: bigint) => (b >= 64n ? 0n : a >> b);
  }
  const width = WIDTH[dtype]!;
  return left ? (a: number, b: number) => (b >= width ? 0 : a * 2 ** b) : (a: number, b: number) => (b >= width ? 0 : Math.floor(a / 2 ** b));
}
