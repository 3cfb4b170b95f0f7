/**
 * Broadcasting comparisons (output bool) and boolean logic: Equal Greater GreaterOrEqual Less
 * LessOrEqual And Or Xor. Booleans are Uint8Array 0/1; JavaScript booleans store as 0/1.
 */
import { binaryKernel } from './binary-kernel';
import { ALL, BOOL, NUMERIC } from '../common/dtypes';

const ORDERED = [...NUMERIC];

export const Equal = binaryKernel('Equal', { dtypes: ALL, output: 'bool', fn: () => (a, b) => a === b });
export const Greater = binaryKernel('Greater', { dtypes: ORDERED, output: 'bool', fn: () => (a, b) => a > b });
export const GreaterOrEqual = binaryKernel('GreaterOrEqual', { dtypes: ORDERED, output: 'bool', fn: () => (a, b) => a >= b });
export const Less = binaryKernel('Less', { dtypes: ORDERED, output: 'bool', fn: () => (a, b) => a < b });
export const LessOrEqual = binaryKernel('LessOrEqual', { dtypes: ORDERED, output: 'bool', fn: () => (a, b) => a <= b });

export const And = binaryKernel('And', { dtypes: BOOL, output: 'bool', fn: () => (a, b) => a & b });
export const Or = binaryKernel('Or', { dtypes: BOOL, output: 'bool', fn: () => (a, b) => a | b });
export const Xor = binaryKernel('Xor', { dtypes: BOOL, output: 'bool', fn: () => (a, b) => a ^ b });
