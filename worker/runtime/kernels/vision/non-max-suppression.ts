/**
 * NonMaxSuppression (opset 10/11): per batch and class, greedily keeps the highest-scoring boxes
 * whose IoU with every kept box is at most iou_threshold, up to max_output_boxes_per_class, among
 * boxes scoring above score_threshold. Output [num_selected, 3] int64 rows
 * (batch, class, box) ordered as onnxruntime: batch, then class, then descending score (ties by
 * lower box index).
 */
import { kernel, kernelFail } from '../../kernel';
import { Tensor } from '../../tensor';
import { optionalScalar } from './inputs';
import { floatInput } from '../common/inputs';
import { shapeText } from '../common/shape-text';

export interface NonMaxSuppressionAttributes {
  /** 0: [y1, x1, y2, x2] (any diagonal); 1: [x_center, y_center, width, height] */
  readonly centerPointBox: boolean;
}

export const nonMaxSuppressionKernel = kernel<NonMaxSuppressionAttributes>({
  op: 'NonMaxSuppression',
  attributes(attrs) {
    const c = attrs.int('center_point_box', 0);
    if (c !== 0 && c !== 1) attrs.fail(`attribute "center_point_box" is ${c}; expected 0 (corners) or 1 (centre, size)`);
    return { centerPointBox: c === 1 };
  },
  run(inputs, attrs, ctx) {
    const boxes = floatInput(inputs, 0, 'boxes', ctx);
    const scores = floatInput(inputs, 1, 'scores', ctx);
    if (boxes.shape.length !== 3 || boxes.shape[2] !== 4) kernelFail(ctx, `boxes must be [batches, spatial_dimension, 4], got ${shapeText(boxes.shape)}`);
    const [batches, count] = boxes.shape;
    if (scores.shape.length !== 3 || scores.shape[0] !== batches || scores.shape[2] !== count) {
      kernelFail(ctx, `scores must be [${batches}, classes, ${count}] to match boxes ${shapeText(boxes.shape)}, got ${shapeText(scores.shape)}`);
    }
    const classes = scores.shape[1];
    const maxPerClass = optionalScalar(inputs, 2, 'max_output_boxes_per_class', 0, ctx);
    const iouThreshold = optionalScalar(inputs, 3, 'iou_threshold', 0, ctx);
    const scoreThreshold = inputs[4] ? optionalScalar(inputs, 4, 'score_threshold', 0, ctx) : null;
    if (!(iouThreshold >= 0 && iouThreshold <= 1)) kernelFail(ctx, `iou_threshold must be in [0, 1], got ${iouThreshold}`);
    const corners = toCorners(boxes.data, attrs.centerPointBox);
    const selected: number[] = [];
    if (maxPerClass > 0) {
      const order = new Int32Array(count);
      for (let b = 0; b < batches; b++) {
        for (let c = 0; c < classes; c++) {
          const s0 = (b * classes + c) * count;
          let m = 0;
          for (let i = 0; i < count; i++) {
            if (scoreThreshold === null || scores.data[s0 + i] > scoreThreshold) order[m++] = i;
          }
          const candidates = Array.from(order.subarray(0, m)).sort((i, j) => scores.data[s0 + j] - scores.data[s0 + i] || i - j);
          const kept: number[] = [];
          for (const i of candidates) {
            if (kept.length >= maxPerClass) break;
            if (kept.every((j) => !overlaps(corners, (b * count + i) * 4, (b * count + j) * 4, iouThreshold))) kept.push(i);
          }
          for (const i of kept) selected.push(b, c, i);
        }
      }
    }
    const y = ctx.output(0, 'int64', [selected.length / 3, 3]) as Tensor<'int64'>;
    for (let i = 0; i < selected.length; i++) y.data[i] = BigInt(selected[i]);
    return y;
  },
});

/** Boxes as [ymin, xmin, ymax, xmax]. */
function toCorners(d: ArrayLike<number>, centerPointBox: boolean): Float64Array {
  const out = new Float64Array(d.length);
  for (let i = 0; i < d.length; i += 4) {
    if (centerPointBox) {
      const [xc, yc, w, h] = [d[i], d[i + 1], d[i + 2], d[i + 3]];
      out[i] = yc - h / 2;
      out[i + 1] = xc - w / 2;
      out[i + 2] = yc + h / 2;
      out[i + 3] = xc + w / 2;
    } else {
      out[i] = Math.min(d[i], d[i + 2]);
      out[i + 1] = Math.min(d[i + 1], d[i + 3]);
      out[i + 2] = Math.max(d[i], d[i + 2]);
      out[i + 3] = Math.max(d[i + 1], d[i + 3]);
    }
  }
  return out;
}

/** IoU(a, b) > threshold, with onnxruntime's rule that empty boxes never suppress. */
function overlaps(c: Float64Array, a: number, b: number, threshold: number): boolean {
  const ih = Math.min(c[a + 2], c[b + 2]) - Math.max(c[a], c[b]);
  const iw = Math.min(c[a + 3], c[b + 3]) - Math.max(c[a + 1], c[b + 1]);
  if (ih <= 0 || iw <= 0) return false;
  const inter = ih * iw;
  const areaA = (c[a + 2] - c[a]) * (c[a + 3] - c[a + 1]);
  const areaB = (c[b + 2] - c[b]) * (c[b + 3] - c[b + 1]);
  const union = areaA + areaB - inter;
  if (areaA <= 0 || areaB <= 0 || union <= 0) return false;
  return inter / union > threshold;
}
