/**
 * ConvTranspose (1-D, 2-D, 3-D; groups, strides, dilations, pads, auto_pad, output_padding,
 * output_shape), as a GEMM per image and group followed by col2im:
 *
 *   cols[p][j*K + kk] = sum_c X[c][p] * W[c][j][kk]       (p: input position, K: kernel size)
 *   Y[j][p*stride - pad + kk*dilation] += cols[p][j*K + kk]
 *
 * Output size and padding follow onnxruntime: with output_shape the total padding is derived (the
 * odd unit at the head for SAME_LOWER, at the tail otherwise); with SAME_* the output is input*stride.
 */
import { kernel, kernelFail, type KernelContext, type PlanContext } from '../../kernel';
import type { Tensor } from '../../tensor';
import { gemm, GemmCallOptions, packedWeightsFor, type WeightedPlan } from '../linalg/gemm';
import { convOperands, readGroup, readSpatial, type SpatialAttributes } from './spatial';
import { outputLikeFirstInput } from '../common/planned-output';

/** One options record for every GEMM call here (gemm() does not keep it). */
const GEMM_OPTIONS = new GemmCallOptions();

export interface ConvTransposeAttributes extends SpatialAttributes {
  readonly group: number;
  readonly outputPadding: readonly number[] | null;
  readonly outputShape: readonly number[] | null;
}

interface ConvTransposePlan extends WeightedPlan {
  readonly geo: Geometry;
}

export const convTransposeKernel = kernel<ConvTransposeAttributes, ConvTransposePlan>({
  op: 'ConvTranspose',
  attributes: (r) => {
    const group = readGroup(r);
    const outputPadding = r.ints('output_padding', null);
    if (outputPadding?.some((v) => v < 0)) r.fail(`output_padding [${outputPadding.join(', ')}] must not be negative`);
    return { ...readSpatial(r, false), group, outputPadding, outputShape: r.ints('output_shape', null) };
  },
  outputs: outputLikeFirstInput,
  plan(inputs, attrs, ctx, previous) {
    const { x, w, b } = convOperands(inputs, ctx);
    if (w.shape.length !== x.shape.length) kernelFail(ctx, `W has shape [${w.shape.join(', ')}]; for X [${x.shape.join(', ')}] it must be [C, M/group, ...kernel]`);
    const g = attrs.group;
    const [n, c] = x.shape;
    if (w.shape[0] !== c) kernelFail(ctx, `W has ${w.shape[0]} input channels but X has ${c}`);
    if (c % g !== 0) kernelFail(ctx, `group=${g} must divide the input channels (${c})`);
    const mg = w.shape[1];
    const m = mg * g;
    if (b && (b.shape.length !== 1 || b.shape[0] !== m)) kernelFail(ctx, `B must have shape [${m}]; got [${b.shape.join(', ')}]`);
    const kernelSize = w.shape.slice(2);
    if (attrs.kernelShape && attrs.kernelShape.join() !== kernelSize.join()) {
      kernelFail(ctx, `kernel_shape [${attrs.kernelShape.join(', ')}] does not match W's spatial shape [${kernelSize.join(', ')}]`);
    }
    const geo = geometry(attrs, x.shape.slice(2), kernelSize, ctx);
    return { geo, outShape: [n, m, ...geo.outSize], weights: packedWeightsFor(w, previous?.weights) };
  },
  run(inputs, attrs, ctx, plan) {
    const y = ctx.output(0, 'float32', plan.outShape);
    run(inputs[0] as Tensor<'float32'>, inputs[1] as Tensor<'float32'>, inputs[2] as Tensor<'float32'> | undefined, y, plan, attrs.group, ctx);
    return y;
  },
});

interface Geometry {
  readonly inSize: readonly number[];
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly padsBegin: number[];
  readonly outSize: number[];
}

function geometry(attrs: ConvTransposeAttributes, inSize: number[], kernelSize: number[], ctx: PlanContext): Geometry {
  const rank = inSize.length;
  const strides = attrs.strides ?? new Array<number>(rank).fill(1);
  const dilations = attrs.dilations ?? new Array<number>(rank).fill(1);
  const adj = attrs.outputPadding ?? new Array<number>(rank).fill(0);
  for (const [name, v] of [['strides', strides], ['dilations', dilations], ['output_padding', adj]] as const) {
    if (v.length !== rank) kernelFail(ctx, `${name} has ${v.length} value(s) but the input has ${rank} spatial axes`);
  }
  if (attrs.pads && attrs.pads.length !== 2 * rank) kernelFail(ctx, `pads has ${attrs.pads.length} values; ${2 * rank} expected`);
  const shape = attrs.outputShape;
  if (shape && shape.length !== rank && shape.length !== rank + 2) {
    kernelFail(ctx, `output_shape has ${shape.length} values; expected ${rank} (spatial) or ${rank + 2}`);
  }
  const padsBegin: number[] = [];
  const outSize: number[] = [];
  for (let i = 0; i < rank; i++) {
    const span = (kernelSize[i] - 1) * dilations[i] + 1;
    const full = (inSize[i] - 1) * strides[i] + adj[i] + span;
    // SAME_LOWER puts the larger half of odd padding at the head, everything else at the tail
    const distribute = (total: number): number => (attrs.autoPad === 'SAME_LOWER' ? total - Math.floor(total / 2) : Math.floor(total / 2));
    let head: number;
    let out: number;
    if (shape) {
      out = shape[shape.length - rank + i];
      head = distribute(Math.max(0, full - out));
    } else if (attrs.autoPad === 'SAME_UPPER' || attrs.autoPad === 'SAME_LOWER') {
      const total = Math.max(0, full - inSize[i] * strides[i]);
      head = distribute(total);
      out = full - total;
    } else {
      head = attrs.pads ? attrs.pads[i] : 0;
      out = full - head - (attrs.pads ? attrs.pads[i + rank] : 0);
    }
    if (!(out > 0)) kernelFail(ctx, `spatial axis ${i}: the computed output size ${out} is not positive`);
    padsBegin.push(head);
    outSize.push(out);
  }
  return { inSize, kernel: kernelSize, strides, dilations, padsBegin, outSize };
}

function run(x: Tensor<'float32'>, w: Tensor<'float32'>, b: Tensor<'float32'> | undefined, y: Tensor<'float32'>, { geo, weights }: ConvTransposePlan, groups: number, ctx: KernelContext): void {
  const [n, c] = x.shape;
  const cg = c / groups;
  const mg = w.shape[1];
  const m = mg * groups;
  const lift = (v: readonly number[], fill: number): number[] => [...new Array<number>(3 - v.length).fill(fill), ...v];
  const [K0, K1, K2] = lift(geo.kernel, 1);
  const [S0, S1, S2] = lift(geo.strides, 1);
  const [D0, D1, D2] = lift(geo.dilations, 1);
  const [P0, P1, P2] = lift(geo.padsBegin, 0);
  const [I0, I1, I2] = lift(geo.inSize, 1);
  const [O0, O1, O2] = lift(geo.outSize, 1);
  const K = K0 * K1 * K2;
  const inP = I0 * I1 * I2;
  const outP = O0 * O1 * O2;
  const cols = ctx.scratch(inP * mg * K);
  const Y = y.data;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) Y.fill(b ? b.data[j] : 0, (i * m + j) * outP, (i * m + j + 1) * outP);
  }
  const options = GEMM_OPTIONS.reset();
  options.transA = true;
  options.weights = weights;
  for (let i = 0; i < n; i++) {
    for (let gi = 0; gi < groups; gi++) {
      gemm(inP, mg * K, cg, x.data, (i * c + gi * cg) * inP, w.data, gi * cg * mg * K, cols, 0, options);
      let r = 0;
      for (let i0 = 0; i0 < I0; i0++) {
        for (let i1 = 0; i1 < I1; i1++) {
          for (let i2 = 0; i2 < I2; i2++) {
            for (let j = 0; j < mg; j++) {
              const dst = (i * m + gi * mg + j) * outP;
              for (let k0 = 0; k0 < K0; k0++) {
                const o0 = i0 * S0 - P0 + k0 * D0;
                const ok0 = o0 >= 0 && o0 < O0;
                for (let k1 = 0; k1 < K1; k1++) {
                  const o1 = i1 * S1 - P1 + k1 * D1;
                  const ok1 = ok0 && o1 >= 0 && o1 < O1;
                  const line = dst + (o0 * O1 + o1) * O2;
                  for (let k2 = 0; k2 < K2; k2++, r++) {
                    const o2 = i2 * S2 - P2 + k2 * D2;
                    if (ok1 && o2 >= 0 && o2 < O2) Y[line + o2] += cols[r];
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
