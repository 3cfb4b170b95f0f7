/**
 * A ConvChain (conv-chain.ts) in WebAssembly within one call: X is copied into the module's memory,
 * and image by image each stage convolves (or pools) the previous stage's output there into the
 * other of two arenas (the same kernels as the separate Conv and MaxPool nodes: depthwise.ts,
 * pointwise-wasm.ts, conv-wasm.ts, pool-wasm.ts); only the last stage's outputs are copied out.
 * A 1-D Conv stage followed by a MaxPool of window 4 and stride 4 pools as it stores (convGroup's
 * pool4), which gives the pool's values. A pointwise last stage without a clamp adds the residual Z
 * in its GEMM epilogue: Z is copied into its output first, and the tiles store (acc + bias) + Z.
 */
import { sizeOf, span, type Tensor } from '../../tensor';
import type { WasmKernels } from '../../wasm';
import type { ConvPlan } from './conv';
import type { ChainStageAttributes } from './conv-chain';
import { convGroupsFilters, convGroupsInHeap, isPointwise } from './conv-wasm';
import { depthwiseFilters, depthwiseInHeap, depthwisePlane } from './depthwise';
import { pointwiseFilters, pointwiseInHeap, type PointwiseShape } from './pointwise-wasm';
import { maxPoolInHeap } from './pool-wasm';
import type { PlaneWindow } from './spatial';

/** One stage of a chain as its plan sees it. */
export interface ChainStage {
  /** a MaxPool stage's plan has no filters (weights and filters null) */
  readonly plan: ConvPlan;
  readonly attrs: ChainStageAttributes;
  readonly inShape: readonly number[];
  /** the module kernel it runs on, as convFloat32 (or maxPoolFloat32) chooses */
  readonly kind: 'depthwise' | 'pointwise' | 'groups' | 'maxpool';
  /** the pointwise stage's sizes for one image (null for the others) */
  readonly pointwise: PointwiseShape | null;
  /**
   * a 1-D 'groups' stage whose next stage is a MaxPool of window 4 and stride 4: convGroup pools
   * each panel's outputs as it stores them (an audio net's Conv + Relu -> MaxPool), and the pool
   * stage is skipped; the full-size output never exists
   */
  readonly poolsOutput: boolean;
}

export function chainStage(plan: ConvPlan, attrs: ChainStageAttributes, inShape: readonly number[]): ChainStage {
  const plane = plan.win.plane;
  const kind = attrs.maxPool ? 'maxpool' : depthwisePlane(inShape[1], attrs.group, plan.win) !== null ? 'depthwise' : plane !== null && isPointwise(plane) ? 'pointwise' : 'groups';
  const m = plan.outShape[1];
  const pointwise = kind === 'pointwise' ? { n: 1, c: inShape[1], m, P: sizeOf(plan.outShape) / (inShape[0] * m), groups: attrs.group } : null;
  return { plan, attrs, inShape, kind, pointwise, poolsOutput: false };
}

/** The stages with poolsOutput set where a 'groups' stage of one spatial axis feeds a MaxPool 4 / 4. */
export function withPooledOutputs(stages: readonly ChainStage[]): ChainStage[] {
  return stages.map((s, i) => {
    const next = stages[i + 1];
    const p = next?.kind === 'maxpool' ? next.plan.win.plane : null;
    const pool4 = s.kind === 'groups' && s.inShape.length === 3 && p !== null &&
      p.KW === 4 && p.SW === 4 && p.DW === 1 && p.PW === 0 && p.OW === p.W >> 2;
    return pool4 ? { ...s, poolsOutput: true } : s;
  });
}

/**
 * Runs the chain; false, having computed nothing, when the filters' persistent blocks moved while
 * they were being placed (the instance ran out of its budget mid-way): run it stage by stage then.
 */
export function convChainWasm(
  wk: WasmKernels, inputs: ReadonlyArray<Tensor<'float32'> | undefined>,
  plan: { readonly stages: readonly ChainStage[]; readonly addresses: number[] }, y: Tensor<'float32'>, z: Tensor<'float32'> | undefined,
): boolean {
  const { stages, addresses } = plan;
  // Every stage's filters before the first scratch block (a persistent block gives scratch back);
  // twice, so that the second pass only finds what the first placed.
  wk.beginCall();
  placeFilters(wk, inputs, stages, addresses);
  const generation = wk.persistentGeneration;
  const kept = wk.persistentBytes;
  wk.beginCall();
  placeFilters(wk, inputs, stages, addresses);
  if (wk.persistentGeneration !== generation || wk.persistentBytes !== kept) return false;

  // The chain runs image by image, so that its intermediate images are one image's (at batch 8 as
  // at batch 1: they stay in cache). X and Y are copied in and out whole. The k-th stage that runs
  // (a stage that pools its output is one with its pool stage) writes arena k % 2, but the last:
  // a stage reads one arena and writes the other.
  const n = stages[0].inShape[0];
  const inImage = sizeOf(stages[0].inShape) / n;
  const last = stages.length - 1;
  const outImage = sizeOf(stages[last].plan.outShape) / n;
  let arena0Floats = 0;
  let arena1Floats = 0;
  for (let i = 0, k = 0; i < last; i++, k++) {
    if (stages[i].poolsOutput) i++;
    if (i === last) break;
    const floats = imageFloats(sizeOf(stages[i].plan.outShape) / n, stages[i + 1].plan.win.plane);
    if (k % 2 === 0) arena0Floats = Math.max(arena0Floats, floats);
    else arena1Floats = Math.max(arena1Floats, floats);
  }
  // 16 bytes before each image: see imageFloats
  const xPtr = wk.allocScratch(imageFloats(n * inImage, stages[0].plan.win.plane)) + 16;
  const arena0 = wk.allocScratch(arena0Floats) + 16;
  const arena1 = wk.allocScratch(arena1Floats) + 16;
  const yPtr = wk.allocScratch(imageFloats(n * outImage, null)) + 16;
  const accumulate = z !== undefined && stages[last].kind === 'pointwise' && stages[last].attrs.activation === undefined;
  const heap = wk.f32;
  heap.set(span(inputs[0]!.data, 0, n * inImage), xPtr >> 2);
  if (accumulate) heap.set(span(z.data, 0, n * outImage), yPtr >> 2);
  for (let image = 0; image < n; image++) {
    let from = xPtr + image * inImage * 4;
    for (let i = 0, k = 0; i <= last; i++, k++) {
      // a stage that pools its output writes what its pool stage would have
      const out = stages[i].poolsOutput ? i + 1 : i;
      const to = out === last ? yPtr + image * outImage * 4 : k % 2 === 0 ? arena0 : arena1;
      const mark = wk.scratchMark;
      runStage(wk, stages[i], inputs[2 + 2 * i], addresses[i], from, to, i === last && accumulate);
      wk.releaseScratch(mark);
      from = to;
      i = out;
    }
  }
  y.data.set(wk.view(yPtr, n * outImage));
  if (z !== undefined && !accumulate) {
    const Y = y.data;
    const Z = z.data;
    for (let i = 0; i < Y.length; i++) Y[i] += Z[i];
  }
  return true;
}

function placeFilters(wk: WasmKernels, inputs: ReadonlyArray<Tensor<'float32'> | undefined>, stages: readonly ChainStage[], addresses: number[]): void {
  for (let i = 0; i < stages.length; i++) {
    const s = stages[i];
    const w = inputs[1 + 2 * i]!;
    if (s.kind === 'maxpool') addresses[i] = 0;
    else if (s.kind === 'depthwise') addresses[i] = depthwiseFilters(wk, w, s.plan.outShape[1], s.plan.win.plane!, s.plan.filters);
    else if (s.kind === 'pointwise') addresses[i] = pointwiseFilters(wk, s.pointwise!, w, s.plan.filters, s.plan.weights);
    else addresses[i] = convGroupsFilters(wk, w, s.plan.filters);
  }
}

/**
 * Floats to reserve for an image of `floats` floats, with room around it for whichever kernel
 * reads it in place (`reader`'s window: 4 floats before, up to 8 strides and 8 floats after) and
 * for the 7 floats past the end that a depthwise kernel stores. The image starts 16 bytes in.
 */
function imageFloats(floats: number, reader: PlaneWindow | null): number {
  return 4 + floats + (reader === null ? 8 : 8 * reader.SW + 16);
}

function runStage(
  wk: WasmKernels, s: ChainStage, b: Tensor<'float32'> | undefined, wPtr: number, xPtr: number, yPtr: number, accumulate: boolean,
): void {
  const lo = s.attrs.activation?.min ?? -Infinity;
  const hi = s.attrs.activation?.max ?? Infinity;
  const plane = s.plan.win.plane!;
  const c = s.inShape[1];
  const m = s.plan.outShape[1];
  // one image
  if (s.kind === 'maxpool') maxPoolInHeap(wk, c, s.plan.win, xPtr, yPtr);
  else if (s.kind === 'depthwise') depthwiseInHeap(wk, 1, c, m, plane, wPtr, b, lo, hi, xPtr, yPtr);
  else if (s.kind === 'pointwise') pointwiseInHeap(wk, s.pointwise!, wPtr, b, lo, hi, xPtr, yPtr, accumulate);
  else convGroupsInHeap(wk, 1, c, m, plane, s.plan.win, s.attrs.group, b, lo, hi, wPtr, xPtr, yPtr, s.poolsOutput);
}
