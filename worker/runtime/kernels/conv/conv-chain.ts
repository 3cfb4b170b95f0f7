/**
 * ConvChain (ai.model-edge, made only by the compiler, lib/model-compiler/fuse-conv-chain.ts):
 * convolutions applied one after another, each the only reader of the one before (MobileNet's
 * expand -> depthwise -> project), optionally followed by the Add of a residual Z of the output's
 * shape:
 *   Y = Conv_k(... Conv_1(X, W_1, B_1) ..., W_k, B_k) (+ Z)
 * Inputs: X, then W_i and B_i ('' when absent) per stage, then Z. Attributes, per stage and in
 * stage order: `group`, `strides`, `dilations`, `pads` (as Conv's, every stage with the same
 * number of spatial axes), `clip` ([lo, hi] of the stage's fused Relu/Clip, ±Infinity without)
 * and the optional `max_pool_shape`: a MaxPool stage's window (zeros for a Conv stage; a MaxPool
 * stage has no W, B, padding, dilation or clip, and does not come first). Each stage is ai.onnx
 * Conv's or MaxPool's arithmetic (conv.ts, pool.ts), so the values are those of the separate
 * nodes bit for bit. With the WebAssembly kernels, the intermediate images stay in the module's
 * memory (conv-chain-wasm.ts): X is copied in and Y out once, where separate nodes copy every
 * intermediate out and back in, and a pointwise last stage adds Z in its GEMM epilogue.
 */
import { kernel, kernelFail, type AttributeReader, type KernelContext, type PlanContext, type PlanInput } from '../../kernel';
import { Tensor } from '../../tensor';
import { wasmKernels } from '../../wasm';
import { MODEL_EDGE_DOMAIN } from '../common/model-edge-domain';
import { outputLikeFirstInput } from '../common/planned-output';
import { shapeText } from '../common/shape-text';
import { convFloat32, convKernel, type ConvAttributes, type ConvPlan } from './conv';
import { chainStage, convChainWasm, withPooledOutputs, type ChainStage } from './conv-chain-wasm';
import { maxPoolFloat32, maxPoolKernel } from './pool';

/** A stage's attributes: a Conv's, or a MaxPool's (`maxPool`, its window in `kernelShape`). */
export interface ChainStageAttributes extends ConvAttributes {
  readonly maxPool: boolean;
}

interface ConvChainAttributes {
  readonly stages: readonly ChainStageAttributes[];
}

export interface ConvChainPlan {
  readonly stages: readonly ChainStage[];
  readonly outShape: readonly number[];
  readonly residual: boolean;
  /** every stage runs in WebAssembly (1-D and 2-D windows) */
  readonly inHeap: boolean;
  /** the JavaScript path's intermediate images, made on its first run */
  readonly images: Array<Tensor<'float32'>>;
  /** the filters' addresses of the WebAssembly path, one per stage (rewritten by every run) */
  readonly addresses: number[];
}

function readStages(r: AttributeReader): ChainStageAttributes[] {
  const count = r.int('stages');
  if (count < 1) r.fail(`attribute "stages" must be >= 1 (got ${count})`);
  const group = r.ints('group');
  const strides = r.ints('strides');
  const dilations = r.ints('dilations');
  const pads = r.ints('pads');
  const clip = r.floats('clip');
  const axes = strides.length / count;
  if (group.length !== count || clip.length !== 2 * count || !(axes === 1 || axes === 2)) {
    r.fail(`group needs ${count} values, clip ${2 * count}, strides ${count} or ${2 * count} (one or two spatial axes per stage)`);
  }
  const poolShapes = r.ints('max_pool_shape', new Array<number>(axes * count).fill(0));
  if (dilations.length !== axes * count || pads.length !== 2 * axes * count || poolShapes.length !== axes * count) {
    r.fail(`dilations and max_pool_shape need ${axes * count} values and pads ${2 * axes * count} (${axes} spatial axes per stage)`);
  }
  const stages: ChainStageAttributes[] = [];
  for (let i = 0; i < count; i++) {
    const lo = clip[2 * i];
    const hi = clip[2 * i + 1];
    if (group[i] < 1 || !(lo <= hi)) r.fail(`stage ${i}: group must be >= 1 and clip [lo, hi] with lo <= hi`);
    const poolShape = poolShapes.slice(axes * i, axes * (i + 1));
    const maxPool = poolShape.some((k) => k !== 0);
    if (maxPool && (i === 0 || poolShape.some((k) => k < 1) || group[i] !== 1 || lo !== -Infinity || hi !== Infinity ||
        pads.slice(2 * axes * i, 2 * axes * (i + 1)).some((p) => p !== 0) || dilations.slice(axes * i, axes * (i + 1)).some((d) => d !== 1))) {
      r.fail(`stage ${i}: a MaxPool stage follows a Conv stage, with a positive window, group 1, no clip, padding or dilation`);
    }
    stages.push({
      maxPool,
      autoPad: 'NOTSET',
      kernelShape: maxPool ? poolShape : null,
      strides: strides.slice(axes * i, axes * (i + 1)),
      dilations: dilations.slice(axes * i, axes * (i + 1)),
      pads: pads.slice(2 * axes * i, 2 * axes * (i + 1)),
      group: group[i],
      activation: lo === -Infinity && hi === Infinity ? undefined : { min: lo, max: hi },
    });
  }
  return stages;
}

export const convChainKernel = kernel<ConvChainAttributes, ConvChainPlan>({
  op: 'ConvChain',
  domain: MODEL_EDGE_DOMAIN,
  attributes: (r) => ({ stages: readStages(r) }),
  outputs: outputLikeFirstInput,
  plan(inputs, attrs, ctx, previous) {
    const count = attrs.stages.length;
    if (inputs.length !== 1 + 2 * count && inputs.length !== 2 + 2 * count) {
      kernelFail(ctx, `${count} stage(s) take X, a W and a B per stage and an optional Z (${1 + 2 * count} or ${2 + 2 * count} inputs); got ${inputs.length}`);
    }
    const stages: ChainStage[] = [];
    let x: PlanInput = inputs[0] ?? kernelFail(ctx, 'input X is missing');
    for (let i = 0; i < count; i++) {
      const w = inputs[1 + 2 * i];
      const b = inputs[2 + 2 * i];
      const a = attrs.stages[i];
      if (a.maxPool && (w || b)) kernelFail(ctx, `stage ${i} is a MaxPool: its W and B inputs (${1 + 2 * i} and ${2 + 2 * i}) must be ''`);
      const stage: ConvPlan = a.maxPool ? poolStagePlan(x, a, ctx) : convKernel.plan!([x, w, b], a, ctx, previous?.stages[i]?.plan);
      stages.push(chainStage(stage, a, x.shape));
      x = { dtype: 'float32', shape: stage.outShape };
    }
    const outShape = x.shape;
    const z = inputs[1 + 2 * count];
    if (z && (z.dtype !== 'float32' || shapeText(z.shape) !== shapeText(outShape))) {
      kernelFail(ctx, `Z must be float32 with the output's shape ${shapeText(outShape)}, got ${z.dtype} ${shapeText(z.shape)}`);
    }
    return {
      stages: withPooledOutputs(stages),
      outShape,
      residual: z !== undefined,
      inHeap: stages.every((s) => s.plan.win.plane !== null),
      images: [],
      addresses: new Array<number>(count).fill(0),
    };
  },
  run(inputs, attrs, ctx, plan) {
    const y = ctx.output(0, 'float32', plan.outShape);
    const count = plan.stages.length;
    const z = plan.residual ? (inputs[1 + 2 * count] as Tensor<'float32'>) : undefined;
    const wk = wasmKernels();
    if (wk === null || !plan.inHeap || !convChainWasm(wk, inputs as ReadonlyArray<Tensor<'float32'> | undefined>, plan, y, z)) {
      runByStage(inputs as ReadonlyArray<Tensor<'float32'> | undefined>, ctx, plan, y, z);
    }
    return y;
  },
});

/** A MaxPool stage's window and output shape, as MaxPool plans them, in a Conv plan's form (no filters). */
function poolStagePlan(x: PlanInput, a: ChainStageAttributes, ctx: PlanContext): ConvPlan {
  if (x.dtype !== 'float32') kernelFail(ctx, `only float32 is supported (got X ${x.dtype})`);
  const { win, outShape } = maxPoolKernel.plan!([x], { ...a, kernelShape: a.kernelShape!, ceilMode: false, storageOrder: 0 }, ctx, undefined);
  return { win, outShape, weights: null, filters: null };
}

/** Stage by stage through Conv's and MaxPool's own code, the intermediate images in the plan. */
function runByStage(
  inputs: ReadonlyArray<Tensor<'float32'> | undefined>, ctx: KernelContext, plan: ConvChainPlan,
  y: Tensor<'float32'>, z: Tensor<'float32'> | undefined,
): void {
  const count = plan.stages.length;
  if (plan.images.length === 0) {
    for (let i = 0; i + 1 < count; i++) plan.images.push(Tensor.zeros('float32', plan.stages[i].plan.outShape) as Tensor<'float32'>);
  }
  let x = inputs[0]!;
  for (let i = 0; i < count; i++) {
    const s = plan.stages[i];
    const out = i + 1 < count ? plan.images[i] : y;
    if (s.attrs.maxPool) maxPoolFloat32(x.data, out.data, x.shape[0] * x.shape[1], s.plan.win);
    else convFloat32(x, inputs[1 + 2 * i]!, inputs[2 + 2 * i], out, s.plan.win, s.attrs.group, ctx, s.attrs.activation, s.plan.weights, s.plan.filters);
    x = out;
  }
  if (z) {
    // the float32 sums of an Add of the same shape
    const Y = y.data;
    const Z = z.data;
    for (let i = 0; i < Y.length; i++) Y[i] += Z[i];
  }
}
