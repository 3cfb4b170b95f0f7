/**
 * Broadcasting comparisons (output bool) and boolean logic: Equal Greater GreaterOrEqual Less
 * LessOrEqual And Or Xor. Booleans are Uint8Array 0/1; JavaScript booleans store as 0/1.
 */
import { binaryKernel } from './binary-kernel';
import { ALL, BOOL, NUMERIC } from '../common/dtypes';

const ORDERED = [...NUMERIC];

export const equalKernel = binaryKernel('Equal', { dtypes: ALL, output: 'bool', fn: () => (a, b) => a === b });
export const greaterKernel = binaryKernel('Greater', { dtypes: ORDERED, output: 'bool', fn: () => (a, b) => a > b });
export const greaterOrEqualKernel = binaryKernel('GreaterOrEqual', { dtypes: ORDERED, output: 'bool', fn: () => (a, b) => a >= b });
export const lessKernel = binaryKernel('Less', { dtypes: ORDERED, output: 'bool', fn: () => (a, b) => a < b });
export const lessOrEqualKernel = binaryKernel('LessOrEqual', { dtypes: ORDERED, output: 'bool', fn: () => (a, b) => a <= b });

export const andKernel = binaryKernel('And', { dtypes: BOOL, output: 'bool', fn: () => (a, b) => a & b });
export const orKernel = binaryKernel('Or', { dtypes: BOOL, output: 'bool', fn: () => (a, b) => a | b });
export const xorKernel = binaryKernel('Xor', { dtypes: BOOL, output: 'bool', fn: () => (a, b) => a ^ b });
