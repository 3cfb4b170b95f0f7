/**
 * Attributes shared by the windowed ops (Conv, ConvTranspose, MaxPool, AveragePool): kernel_shape,
 * strides, dilations, pads and auto_pad, parsed once, and the output-size arithmetic (matching
 * onnxruntime, including ceil_mode's rule that no window may start inside the end padding).
 */
import type { AttributeReader, KernelContext } from '../../kernel';
import { kernelFail, required, type PlanContext, type PlanInput } from '../../kernel';

export type AutoPad = 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';

export interface SpatialAttributes {
  readonly autoPad: AutoPad;
  readonly kernelShape: readonly number[] | null;
  readonly strides: readonly number[] | null;
  readonly dilations: readonly number[] | null;
  /** [begin_0, begin_1, ..., end_0, end_1, ...] */
  readonly pads: readonly number[] | null;
}

export function readSpatial(r: AttributeReader, requireKernelShape: boolean): SpatialAttributes {
  const autoPad = r.oneOf('auto_pad', ['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'] as const, 'NOTSET');
  const kernelShape = requireKernelShape ? r.ints('kernel_shape') : r.ints('kernel_shape', null);
  const strides = r.ints('strides', null);
  const dilations = r.ints('dilations', null);
  const pads = r.ints('pads', null);
  if (kernelShape?.some((k) => k < 1)) r.fail(`kernel_shape [${kernelShape.join(', ')}] must be positive`);
  if (strides?.some((s) => s < 1)) r.fail(`strides [${strides.join(', ')}] must be positive`);
  if (dilations?.some((d) => d < 1)) r.fail(`dilations [${dilations.join(', ')}] must be positive`);
  if (pads?.some((p) => p < 0)) r.fail(`pads [${pads.join(', ')}] must not be negative`);
  if (pads && pads.length % 2 !== 0) r.fail(`pads has ${pads.length} values; it needs a begin and an end per spatial axis`);
  if (pads && autoPad !== 'NOTSET' && pads.some((p) => p !== 0)) r.fail(`pads and auto_pad=${autoPad} cannot both be set`);
  const ranks = [kernelShape, strides, dilations].filter((x): x is number[] => x !== null).map((x) => x.length);
  if (pads) ranks.push(pads.length / 2);
  if (ranks.some((n) => n !== ranks[0])) r.fail('kernel_shape, strides, dilations and pads must describe the same number of spatial axes');
  return { autoPad, kernelShape, strides, dilations, pads };
}

/** X, W and the optional B of Conv and ConvTranspose, float32 only, as the plan sees them. */
export function convOperands(inputs: ReadonlyArray<PlanInput | undefined>, ctx: PlanContext): { x: PlanInput; w: PlanInput; b: PlanInput | undefined } {
  const x = required(inputs, 0, ctx);
  const w = required(inputs, 1, ctx);
  const b = inputs[2];
  if (x.dtype !== 'float32' || w.dtype !== 'float32' || (b && b.dtype !== 'float32')) {
    kernelFail(ctx, `only float32 is supported (got X ${x.dtype}, W ${w.dtype}${b ? `, B ${b.dtype}` : ''})`);
  }
  if (x.shape.length < 3 || x.shape.length > 5) kernelFail(ctx, `X must be [N, C, ...spatial] with 1 to 3 spatial axes; got shape [${x.shape.join(', ')}]`);
  return { x, w, b };
}

/** The `group` attribute of Conv and ConvTranspose. */
export function readGroup(r: AttributeReader): number {
  const group = r.int('group', 1);
  if (group < 1) r.fail(`attribute "group" must be >= 1 (got ${group})`);
  return group;
}

/** A window resolved against actual input sizes (kept in the node's plan). */
export interface Window {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly padsBegin: readonly number[];
  readonly padsEnd: readonly number[];
  readonly inSize: readonly number[];
  readonly outSize: readonly number[];
  /** the same window padded to 3-D, for the 3-D loops */
  readonly lifted: Window3d;
  /** a 1-D or 2-D window as a 2-D one (1-D as height 1), for the plane kernels; null for 3-D */
  readonly plane: PlaneWindow | null;
}

/** A window over planes of H x W, every size a scalar (read in loops without array lookups). */
export interface PlaneWindow {
  readonly H: number;
  readonly W: number;
  readonly KH: number;
  readonly KW: number;
  readonly SH: number;
  readonly SW: number;
  readonly DH: number;
  readonly DW: number;
  /** padding before the first row and column, and after the last */
  readonly PH: number;
  readonly PW: number;
  readonly PEH: number;
  readonly PEW: number;
  readonly OH: number;
  readonly OW: number;
}

/** Resolves the window for `inSize` (spatial dims); `kernel` comes from the weights when not an attribute. */
export function resolveWindow(
  attrs: SpatialAttributes,
  inSize: readonly number[],
  kernel: readonly number[],
  ceilMode: boolean,
  ctx: Pick<KernelContext, 'node'>,
): Window {
  const rank = inSize.length;
  const check = (name: string, v: readonly number[] | null, want: number): void => {
    if (v && v.length !== want) kernelFail(ctx, `${name} has ${v.length} value(s) but the input has ${rank} spatial axes`);
  };
  check('kernel_shape', kernel, rank);
  check('strides', attrs.strides, rank);
  check('dilations', attrs.dilations, rank);
  check('pads', attrs.pads, 2 * rank);
  const strides = attrs.strides ?? new Array<number>(rank).fill(1);
  const dilations = attrs.dilations ?? new Array<number>(rank).fill(1);
  const padsBegin: number[] = [];
  const padsEnd: number[] = [];
  const outSize: number[] = [];
  for (let i = 0; i < rank; i++) {
    const span = (kernel[i] - 1) * dilations[i] + 1;
    const s = strides[i];
    let out: number;
    let pb = 0;
    let pe = 0;
    if (attrs.autoPad === 'SAME_UPPER' || attrs.autoPad === 'SAME_LOWER') {
      out = Math.ceil(inSize[i] / s);
      const total = Math.max(0, (out - 1) * s + span - inSize[i]);
      pb = attrs.autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : total - Math.floor(total / 2);
      pe = total - pb;
    } else if (attrs.autoPad === 'VALID') {
      out = Math.floor((inSize[i] - span) / s) + 1;
    } else {
      pb = attrs.pads ? attrs.pads[i] : 0;
      pe = attrs.pads ? attrs.pads[i + rank] : 0;
      const room = inSize[i] + pb + pe - span;
      if (ceilMode) {
        out = Math.ceil(room / s) + 1;
        // a window may not start inside the end padding
        if ((out - 1) * s >= inSize[i] + pb) out--;
      } else {
        out = Math.floor(room / s) + 1;
      }
    }
    if (!(out > 0)) {
      kernelFail(ctx, `spatial axis ${i}: input size ${inSize[i]} with padding ${pb}+${pe} is smaller than the window (${span}); the output would be empty`);
    }
    padsBegin.push(pb);
    padsEnd.push(pe);
    outSize.push(out);
  }
  const lift = (v: readonly number[], fill: number): number[] => [...new Array<number>(3 - v.length).fill(fill), ...v];
  const lifted: Window3d = {
    k: lift(kernel, 1),
    s: lift(strides, 1),
    d: lift(dilations, 1),
    p: lift(padsBegin, 0),
    pe: lift(padsEnd, 0),
    inp: lift(inSize, 1),
    out: lift(outSize, 1),
  };
  const plane: PlaneWindow | null = rank > 2 ? null : {
    H: lifted.inp[1], W: lifted.inp[2], KH: lifted.k[1], KW: lifted.k[2], SH: lifted.s[1], SW: lifted.s[2],
    DH: lifted.d[1], DW: lifted.d[2], PH: lifted.p[1], PW: lifted.p[2], PEH: lifted.pe[1], PEW: lifted.pe[2],
    OH: lifted.out[1], OW: lifted.out[2],
  };
  return { kernel, strides, dilations, padsBegin, padsEnd, inSize, outSize, lifted, plane };
}

/**
 * `resolveWindow` for an [N, C, ...spatial] input with the kernel read from `kernelSource` at
 * `kernelOffset` (W's shape from 2, or kernel_shape from 0).
 */
export function windowFor(
  attrs: SpatialAttributes,
  input: readonly number[],
  kernelSource: readonly number[],
  kernelOffset: number,
  ceilMode: boolean,
  ctx: Pick<KernelContext, 'node'>,
): Window {
  return resolveWindow(attrs, input.slice(2), kernelSource.slice(kernelOffset), ceilMode, ctx);
}

/** A window padded to 3-D (leading axes of size 1). */
export interface Window3d {
  readonly k: readonly number[];
  readonly s: readonly number[];
  readonly d: readonly number[];
  readonly p: readonly number[];
  readonly pe: readonly number[];
  readonly inp: readonly number[];
  readonly out: readonly number[];
}
