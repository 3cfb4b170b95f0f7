import { nonMaxSuppressionKernel } from '../../../worker/runtime/kernels/vision/non-max-suppression';
import { KernelError, ModelError } from '../../../worker/runtime/errors';
import type { Tensor } from '../../../worker/runtime/tensor';
import { parseKernelAttributes, run1, tensor } from '../kernel-harness';

const rows = (t: Tensor) => {
  const d = Array.from(t.data as BigInt64Array, Number);
  return Array.from({ length: d.length / 3 }, (_, i) => d.slice(3 * i, 3 * i + 3));
};
// three unit boxes: 0 and 1 overlap with IoU 0.9 / 1.1 ~ 0.82, 2 is far away
const boxes = tensor('float32', [1, 3, 4], [0, 0, 1, 1, 0, 0.1, 1, 1.1, 5, 5, 6, 6]);
const scalar = (dtype: 'int64' | 'float32', v: number) => tensor(dtype, [1], [v]);

describe('NonMaxSuppression', () => {
  it('keeps the best box of an overlapping pair, in descending score order', () => {
    const scores = tensor('float32', [1, 1, 3], [0.8, 0.9, 0.7]);
    const y = run1(nonMaxSuppressionKernel, [boxes, scores, scalar('int64', 10), scalar('float32', 0.5)]);
    expect(rows(y)).toEqual([[0, 0, 1], [0, 0, 2]]);
  });

  it('keeps both when the IoU is at most the threshold; caps per class; filters by score', () => {
    const scores = tensor('float32', [1, 1, 3], [0.8, 0.9, 0.7]);
    expect(rows(run1(nonMaxSuppressionKernel, [boxes, scores, scalar('int64', 10), scalar('float32', 0.85)]))).toEqual([[0, 0, 1], [0, 0, 0], [0, 0, 2]]);
    expect(rows(run1(nonMaxSuppressionKernel, [boxes, scores, scalar('int64', 1), scalar('float32', 0.85)]))).toEqual([[0, 0, 1]]);
    expect(rows(run1(nonMaxSuppressionKernel, [boxes, scores, scalar('int64', 10), scalar('float32', 0.85), scalar('float32', 0.75)]))).toEqual([[0, 0, 1], [0, 0, 0]]);
  });

  it('runs classes independently, ties broken by lower index, centre-point boxes', () => {
    const centre = tensor('float32', [1, 2, 4], [0.5, 0.5, 1, 1, 0.5, 0.5, 1, 1]);
    const scores = tensor('float32', [1, 2, 2], [0.5, 0.5, 0.1, 0.9]);
    const y = run1(nonMaxSuppressionKernel, [centre, scores, scalar('int64', 5), scalar('float32', 0.5)], { attributes: { center_point_box: 1 } });
    expect(rows(y)).toEqual([[0, 0, 0], [0, 1, 1]]);
  });

  it('selects nothing without max_output_boxes_per_class', () => {
    const scores = tensor('float32', [1, 1, 3], [0.8, 0.9, 0.7]);
    expect(run1(nonMaxSuppressionKernel, [boxes, scores]).shape).toEqual([0, 3]);
  });

  it('rejects mismatched scores, thresholds out of range and bad attributes', () => {
    expect(() => run1(nonMaxSuppressionKernel, [boxes, tensor('float32', [1, 1, 2], [1, 2])])).toThrow(KernelError);
    const scores = tensor('float32', [1, 1, 3], [0.8, 0.9, 0.7]);
    expect(() => run1(nonMaxSuppressionKernel, [boxes, scores, scalar('int64', 1), scalar('float32', 1.5)])).toThrow(/iou_threshold must be in \[0, 1\]/);
    expect(() => parseKernelAttributes(nonMaxSuppressionKernel, { center_point_box: 2 })).toThrow(ModelError);
  });
});
