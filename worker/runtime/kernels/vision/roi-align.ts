/**
 * RoiAlign (opset 10/16/22): pools each region of interest of X [N, C, H, W] into
 * [output_height, output_width] bins, averaging (or taking the max of) bilinear samples on a
 * sampling_ratio x sampling_ratio grid per bin (adaptive ceil(roi / bins) when 0). Follows
 * onnxruntime: samples more than one pixel outside are 0, and max mode takes the max of the
 * weighted corner values.
 */
import { kernel, kernelFail } from '../../kernel';
import type { Tensor } from '../../tensor';
import { readInts } from '../tensor/common';
import { floatInput } from '../common/inputs';
import { shapeText } from '../common/shape-text';

export interface RoiAlignAttributes {
  readonly mode: 'avg' | 'max';
  readonly outputHeight: number;
  readonly outputWidth: number;
  readonly samplingRatio: number;
  readonly spatialScale: number;
  /** half_pixel shifts roi coordinates by -0.5 and allows rois smaller than one pixel */
  readonly halfPixel: boolean;
}

export const roiAlignKernel = kernel<RoiAlignAttributes>({
  op: 'RoiAlign',
  attributes(attrs, opset) {
    const mode = attrs.oneOf('mode', ['avg', 'max'] as const, 'avg');
    const outputHeight = attrs.int('output_height', 1);
    const outputWidth = attrs.int('output_width', 1);
    const samplingRatio = attrs.int('sampling_ratio', 0);
    const spatialScale = attrs.float('spatial_scale', 1);
    const transform = attrs.oneOf('coordinate_transformation_mode', ['half_pixel', 'output_half_pixel'] as const, opset >= 16 ? 'half_pixel' : 'output_half_pixel');
    if (outputHeight < 1 || outputWidth < 1) attrs.fail(`output_height ${outputHeight} and output_width ${outputWidth} must be positive`);
    if (samplingRatio < 0) attrs.fail(`sampling_ratio ${samplingRatio} must not be negative (0 = adaptive)`);
    return { mode, outputHeight, outputWidth, samplingRatio, spatialScale, halfPixel: transform === 'half_pixel' };
  },
  run(inputs, attrs, ctx) {
    const x = floatInput(inputs, 0, 'X', ctx);
    const rois = floatInput(inputs, 1, 'rois', ctx);
    const bi = inputs[2];
    if (!bi) kernelFail(ctx, 'input batch_indices (#2) is required');
    if (x.shape.length !== 4) kernelFail(ctx, `X must be [N, C, H, W], got ${shapeText(x.shape)}`);
    if (rois.shape.length !== 2 || rois.shape[1] !== 4) kernelFail(ctx, `rois must be [num_rois, 4], got ${shapeText(rois.shape)}`);
    const numRois = rois.shape[0];
    if (bi.shape.length !== 1 || bi.shape[0] !== numRois) kernelFail(ctx, `batch_indices must be [${numRois}], got ${shapeText(bi.shape)}`);
    const batchOf = readInts(bi, ctx, 'batch_indices');
    const [n, c, h, w] = x.shape;
    for (const b of batchOf) if (b < 0 || b >= n) kernelFail(ctx, `batch index ${b} is out of range for X with ${n} batch(es)`);
    const { outputHeight: oh, outputWidth: ow } = attrs;
    const y = ctx.output(0, x.dtype, [numRois, c, oh, ow]);
    const xd = x.data;
    const yd = y.data as Tensor<'float32'>['data'];
    const offset = attrs.halfPixel ? 0.5 : 0;
    for (let r = 0; r < numRois; r++) {
      const startW = rois.data[r * 4] * attrs.spatialScale - offset;
      const startH = rois.data[r * 4 + 1] * attrs.spatialScale - offset;
      const endW = rois.data[r * 4 + 2] * attrs.spatialScale - offset;
      const endH = rois.data[r * 4 + 3] * attrs.spatialScale - offset;
      let roiW = endW - startW;
      let roiH = endH - startH;
      if (!attrs.halfPixel) {
        roiW = Math.max(roiW, 1);
        roiH = Math.max(roiH, 1);
      }
      const binH = roiH / oh;
      const binW = roiW / ow;
      const gridH = attrs.samplingRatio > 0 ? attrs.samplingRatio : Math.ceil(roiH / oh);
      const gridW = attrs.samplingRatio > 0 ? attrs.samplingRatio : Math.ceil(roiW / ow);
      const samples = Math.max(gridH * gridW, 1);
      for (let ch = 0; ch < c; ch++) {
        const plane = (batchOf[r] * c + ch) * h * w;
        for (let ph = 0; ph < oh; ph++) {
          for (let pw = 0; pw < ow; pw++) {
            let acc = attrs.mode === 'avg' ? 0 : -Infinity;
            for (let iy = 0; iy < gridH; iy++) {
              const yy = startH + ph * binH + ((iy + 0.5) * binH) / gridH;
              for (let ix = 0; ix < gridW; ix++) {
                const xx = startW + pw * binW + ((ix + 0.5) * binW) / gridW;
                acc = accumulate(xd, plane, h, w, yy, xx, attrs.mode, acc);
              }
            }
            const o = ((r * c + ch) * oh + ph) * ow + pw;
            yd[o] = attrs.mode === 'avg' ? acc / samples : gridH * gridW === 0 ? 0 : acc;
          }
        }
      }
    }
    return y;
  },
});

/** Adds (avg) or maxes in one bilinear sample at (y, x). */
function accumulate(xd: ArrayLike<number>, plane: number, h: number, w: number, y: number, x: number, mode: 'avg' | 'max', acc: number): number {
  let v1 = 0, v2 = 0, v3 = 0, v4 = 0, w1 = 0, w2 = 0, w3 = 0, w4 = 0;
  if (!(y < -1 || y > h || x < -1 || x > w)) {
    if (y <= 0) y = 0;
    if (x <= 0) x = 0;
    let yLow = Math.trunc(y);
    let xLow = Math.trunc(x);
    let yHigh: number;
    let xHigh: number;
    if (yLow >= h - 1) {
      yHigh = yLow = h - 1;
      y = yLow;
    } else yHigh = yLow + 1;
    if (xLow >= w - 1) {
      xHigh = xLow = w - 1;
      x = xLow;
    } else xHigh = xLow + 1;
    const ly = y - yLow;
    const lx = x - xLow;
    const hy = 1 - ly;
    const hx = 1 - lx;
    w1 = hy * hx;
    w2 = hy * lx;
    w3 = ly * hx;
    w4 = ly * lx;
    v1 = xd[plane + yLow * w + xLow];
    v2 = xd[plane + yLow * w + xHigh];
    v3 = xd[plane + yHigh * w + xLow];
    v4 = xd[plane + yHigh * w + xHigh];
  }
  if (mode === 'avg') return acc + w1 * v1 + w2 * v2 + w3 * v3 + w4 * v4;
  return Math.max(acc, w1 * v1, w2 * v2, w3 * v3, w4 * v4);
}
