/**
 * Mean and standard deviation of one contiguous block of values (a group, an instance plane), as
 * GroupNormalization and InstanceNormalization normalize them: two passes, the population
 * variance, epsilon added before the square root.
 */
import type { Floats } from '../common/tensor-types';

/** The mean of data[start, end). */
export function meanOf(data: Floats, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += data[i];
  return sum / (end - start);
}

/** sqrt(variance + epsilon) of data[start, end) around its `mean`. */
export function deviationOf(data: Floats, start: number, end: number, mean: number, epsilon: number): number {
  let sq = 0;
  for (let i = start; i < end; i++) {
    const d = data[i] - mean;
    sq += d * d;
  }
  return Math.sqrt(sq / (end - start) + epsilon);
}
