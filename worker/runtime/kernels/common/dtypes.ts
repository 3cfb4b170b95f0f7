/** Dtype groups kernels accept, and the value ranges of the integer dtypes. */
import type { DType } from '../../tensor';

export const FLOATS: readonly DType[] = ['float32', 'float64'];
export const SIGNED_INTS: readonly DType[] = ['int8', 'int16', 'int32', 'int64'];
export const UNSIGNED_INTS: readonly DType[] = ['uint8', 'uint16', 'uint32', 'uint64'];
export const INTS: readonly DType[] = [...SIGNED_INTS, ...UNSIGNED_INTS];
export const SIGNED_NUMERIC: readonly DType[] = [...FLOATS, ...SIGNED_INTS];
export const NUMERIC: readonly DType[] = [...FLOATS, ...INTS];
export const BOOL: readonly DType[] = ['bool'];
export const ALL: readonly DType[] = [...NUMERIC, 'bool', 'string'];

/** The 8- to 32-bit integer dtypes, whose values JavaScript numbers hold exactly. */
export type SmallIntDType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32';

/** [min, max] of each integer dtype narrower than 64 bits. */
export const INTEGER_RANGES: Readonly<Record<SmallIntDType, readonly [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};
