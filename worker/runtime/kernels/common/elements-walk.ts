/**
 * Walking the indices of GatherElements and ScatterElements: every index tensor position maps to
 * the data position with the same coordinates except along `axis`, where the index value goes.
 */
import { kernelFail, type PlanContext } from '../../kernel';
import { shapeText } from './shape-text';

/** Fails unless `indices` fits inside `data` along every axis but `axis`. */
export function expectIndicesWithin(indices: readonly number[], data: readonly number[], axis: number, ctx: Pick<PlanContext, 'node'>): void {
  for (let k = 0; k < data.length; k++) {
    if (k !== axis && indices[k] > data[k]) {
      kernelFail(ctx, `indices ${shapeText(indices)} exceed data ${shapeText(data)} along axis ${k}`);
    }
  }
}

/**
 * Advances `counter` (a position in `indices`, row-major) by one and returns the data offset of
 * the new position without its `axis` component, given the current one, `base`.
 */
export function nextElementBase(counter: number[], indices: readonly number[], strides: readonly number[], axis: number, base: number): number {
  for (let k = indices.length - 1; k >= 0; k--) {
    if (k !== axis) base += strides[k];
    if (++counter[k] < indices[k]) break;
    if (k !== axis) base -= strides[k] * indices[k];
    counter[k] = 0;
  }
  return base;
}
