/**
 * How a scale / zero-point tensor maps onto the elements of the tensor it quantizes
 * (QuantizeLinear, DequantizeLinear):
 *   per-tensor: a scalar or a one-element 1-D tensor;
 *   per-axis:   a 1-D tensor with one value per index of X along `axis`;
 *   blocked:    (block_size > 0) X's rank, X's shape except ceil(X.shape[axis] / block_size) on `axis`.
 * X is viewed as [outer, len, inner] around the axis; `paramIndex` gives the parameter of an element.
 */
import { kernelFail, type AttributeReader, type KernelContext } from '../../kernel';
import { sizeOf, type DType, type NumericArray, type Tensor } from '../../tensor';
import { typedInput } from './quant-types';

/** The attributes QuantizeLinear and DequantizeLinear share. */
export interface QuantAxisAttributes {
  readonly axis: number;
  readonly blockSize: number;
}

export function readQuantAxis(attrs: AttributeReader): QuantAxisAttributes {
  const blockSize = attrs.int('block_size', 0);
  if (blockSize < 0) attrs.fail(`attribute "block_size" must be >= 0, got ${blockSize}`);
  return { axis: attrs.int('axis', 1), blockSize };
}

type NumericTensor = Tensor & { data: NumericArray };

/** A scale, its optional zero point, and how both map onto the elements of x. */
export interface QuantParams {
  readonly scale: NumericTensor;
  readonly zeroPoint: NumericTensor | undefined;
  readonly layout: QuantLayout;
}

/**
 * Inputs 1 (the scale, named `prefix`_scale) and 2 (the zero point, `prefix`_zero_point, one of
 * `zeroTypes`) of a QuantizeLinear or DequantizeLinear node, checked against x.
 */
export function quantParams(
  inputs: ReadonlyArray<Tensor | undefined>,
  x: Tensor,
  attrs: QuantAxisAttributes,
  prefix: 'x' | 'y',
  zeroTypes: readonly DType[],
  ctx: Pick<KernelContext, 'node'>,
): QuantParams {
  const scaleName = `${prefix}_scale`;
  const scale = typedInput(inputs, 1, scaleName, ['float32', 'float64'], ctx);
  const zeroPoint = inputs[2] ? typedInput(inputs, 2, `${prefix}_zero_point`, zeroTypes, ctx) : undefined;
  const layout = resolveQuantLayout(x, scale, attrs.axis, attrs.blockSize, scaleName, ctx);
  if (zeroPoint) expectSameShape(zeroPoint, scale, `${prefix}_zero_point`, scaleName, ctx);
  return { scale, zeroPoint, layout };
}

export interface QuantLayout {
  readonly kind: 'tensor' | 'axis' | 'block';
  readonly outer: number;
  readonly len: number;
  readonly inner: number;
  /** block size along the axis (blocked only) */
  readonly blockSize: number;
  /** number of blocks along the axis */
  readonly blocks: number;
}

export function resolveQuantLayout(
  x: Tensor,
  scale: Tensor,
  axisAttr: number,
  blockSize: number,
  scaleName: string,
  ctx: Pick<KernelContext, 'node'>,
): QuantLayout {
  const shape = (t: readonly number[]) => `[${t.join(', ')}]`;
  if (blockSize === 0 && scale.size === 1 && scale.rank <= 1) return { kind: 'tensor', outer: 1, len: 1, inner: x.size, blockSize: 0, blocks: 1 };
  const rank = x.rank;
  if (axisAttr < -rank || axisAttr >= rank) {
    kernelFail(ctx, `attribute axis = ${axisAttr} is out of range for input of shape ${shape(x.shape)} (allowed ${-rank}..${rank - 1})`);
  }
  const axis = axisAttr < 0 ? axisAttr + rank : axisAttr;
  const outer = sizeOf(x.shape.slice(0, axis));
  const len = x.shape[axis];
  const inner = sizeOf(x.shape.slice(axis + 1));
  if (blockSize === 0) {
    if (scale.rank !== 1 || scale.shape[0] !== len) {
      kernelFail(ctx, `input ${scaleName} of shape ${shape(scale.shape)} is neither per-tensor (a scalar) nor per-axis ([${len}] for axis ${axis} of ${shape(x.shape)})`);
    }
    return { kind: 'axis', outer, len, inner, blockSize: 1, blocks: len };
  }
  const blocks = Math.ceil(len / blockSize);
  const want = x.shape.map((d, i) => (i === axis ? blocks : d));
  if (scale.rank !== rank || scale.shape.some((d, i) => d !== want[i])) {
    kernelFail(ctx, `input ${scaleName} of shape ${shape(scale.shape)} does not fit block_size = ${blockSize} on axis ${axis} of ${shape(x.shape)}; expected ${shape(want)}`);
  }
  return { kind: 'block', outer, len, inner, blockSize, blocks };
}

/** Checks that a zero point has the scale's shape. */
export function expectSameShape(zeroPoint: Tensor, scale: Tensor, name: string, scaleName: string, ctx: Pick<KernelContext, 'node'>): void {
  if (zeroPoint.rank !== scale.rank || zeroPoint.shape.some((d, i) => d !== scale.shape[i])) {
    kernelFail(ctx, `input ${name} of shape [${zeroPoint.shape.join(', ')}] must have the shape of ${scaleName} [${scale.shape.join(', ')}]`);
  }
}

/**
 * Calls `fn(first, end, param)` for each run of consecutive elements [first, end) of X that share
 * one parameter index.
 */
export function forEachParamRun(layout: QuantLayout, fn: (first: number, end: number, param: number) => void): void {
  const { kind, outer, len, inner, blockSize, blocks } = layout;
  if (kind === 'tensor') {
    fn(0, inner, 0);
    return;
  }
  for (let o = 0; o < outer; o++) {
    for (let a = 0; a < len; a++) {
      const first = (o * len + a) * inner;
      if (kind === 'axis') {
        fn(first, first + inner, a);
      } else {
        const paramBase = (o * blocks + Math.floor(a / blockSize)) * inner;
        for (let i = 0; i < inner; i++) fn(first + i, first + i + 1, paramBase + i);
      }
    }
  }
}

/** Calls `fn(first, end, scale, zeroPoint)` for each run of X's elements sharing one scale (zero point 0 when omitted). */
export function forEachScaleRun(params: QuantParams, fn: (first: number, end: number, scale: number, zeroPoint: number) => void): void {
  const sd = params.scale.data;
  const zd = params.zeroPoint?.data;
  forEachParamRun(params.layout, (first, end, p) => fn(first, end, sd[p], zd ? zd[p] : 0));
}
