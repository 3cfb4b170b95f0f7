/** Axis arguments: negative axes count from the end; out-of-range and repeated axes are errors. */
import { kernelFail, type PlanContext } from '../../kernel';

type Ctx = Pick<PlanContext, 'node'>;

/**
 * Maps a possibly negative axis into [0, rank), failing when out of range. With `scalarAxis`, a
 * scalar (rank 0) takes axis 0 (ops that treat a scalar as one element along an axis: Softmax,
 * ArgMax, Hardmax).
 */
export function normalizeAxis(axis: number, rank: number, ctx: Ctx, what = 'axis', scalarAxis = false): number {
  if (scalarAxis && rank === 0 && axis === 0) return 0;
  if (axis < -rank || axis >= rank) {
    kernelFail(ctx, `${what} ${axis} is out of range for a tensor of rank ${rank} (expected ${-rank}..${rank - 1})`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalises a list of axes and rejects duplicates. */
export function normalizeAxes(axes: readonly number[], rank: number, ctx: Ctx, what = 'axes'): number[] {
  const out = axes.map((a) => normalizeAxis(a, rank, ctx, what === 'axes' ? 'axis' : what));
  if (new Set(out).size !== out.length) kernelFail(ctx, `${what} [${axes.join(', ')}] repeat an axis`);
  return out;
}
