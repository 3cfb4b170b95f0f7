/**
 * A ConvChain (conv-chain.ts) in WebAssembly within one call: X is copied into the module's memory,
 * each stage convolves the previous stage's image there into the other of two arenas (the same
 * kernels as the separate Conv nodes: depthwise.ts, pointwise-wasm.ts, conv-wasm.ts), and only the
 * last image is copied out. A pointwise last stage without a clamp adds the residual Z in its GEMM epilogue: Z is
 * copied into its output first, and the tiles store (acc + bias) + Z.
 */
import { sizeOf, span, type Tensor } from '../../tensor';
import type { WasmKernels } from '../../wasm';
import type { ConvAttributes, ConvPlan } from './conv';
import { convGroupsFilters, convGroupsInHeap, isPointwise } from './conv-wasm';
import { depthwiseFilters, depthwiseInHeap, depthwisePlane } from './depthwise';
import { pointwiseFilters, pointwiseInHeap, type PointwiseShape } from './pointwise-wasm';
import type { PlaneWindow } from './spatial';

/** One stage of a chain as its plan sees it. */
export interface ChainStage {
  readonly plan: ConvPlan;
  readonly attrs: ConvAttributes;
  readonly inShape: readonly number[];
  /** the module kernel it runs on, as convFloat32 chooses */
  readonly kind: 'depthwise' | 'pointwise' | 'groups';
  /** the pointwise stage's sizes (null for the others) */
  readonly pointwise: PointwiseShape | null;
}

export function chainStage(plan: ConvPlan, attrs: ConvAttributes, inShape: readonly number[]): ChainStage {
  const plane = plan.win.plane;
  const kind = depthwisePlane(inShape[1], attrs.group, plan.win) !== null ? 'depthwise' : plane !== null && isPointwise(plane) ? 'pointwise' : 'groups';
  const n = inShape[0];
  const m = plan.outShape[1];
  const pointwise = kind === 'pointwise' ? { n, c: inShape[1], m, P: sizeOf(plan.outShape) / (n * m), groups: attrs.group } : null;
  return { plan, attrs, inShape, kind, pointwise };
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

  // Image k (X is image 0, stage k's output image k) goes to arena k % 2: a stage reads one arena
  // and writes the other, and the chain holds two images at a time, not all of them.
  const inFloats = sizeOf(stages[0].inShape);
  let evenFloats = imageFloats(inFloats, stages[0].plan.win.plane);
  let oddFloats = 0;
  for (let i = 0; i < stages.length; i++) {
    const floats = imageFloats(sizeOf(stages[i].plan.outShape), i + 1 < stages.length ? stages[i + 1].plan.win.plane : null);
    if (i % 2 === 0) oddFloats = Math.max(oddFloats, floats);
    else evenFloats = Math.max(evenFloats, floats);
  }
  // 16 bytes before each image: see imageFloats
  const evenPtr = wk.allocScratch(evenFloats) + 16;
  const oddPtr = wk.allocScratch(oddFloats) + 16;
  let xPtr = evenPtr;
  wk.f32.set(span(inputs[0]!.data, 0, inFloats), xPtr >> 2);
  let outFloats = inFloats;
  let added = false;
  for (let i = 0; i < stages.length; i++) {
    const s = stages[i];
    const last = i + 1 === stages.length;
    outFloats = sizeOf(s.plan.outShape);
    const yPtr = i % 2 === 0 ? oddPtr : evenPtr;
    const accumulate = last && z !== undefined && s.kind === 'pointwise' && s.attrs.activation === undefined;
    if (accumulate) wk.f32.set(span(z.data, 0, outFloats), yPtr >> 2);
    const mark = wk.scratchMark;
    runStage(wk, s, inputs[2 + 2 * i], addresses[i], xPtr, yPtr, accumulate);
    wk.releaseScratch(mark);
    added = accumulate;
    xPtr = yPtr;
  }
  y.data.set(wk.view(xPtr, outFloats));
  if (z !== undefined && !added) {
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
    if (s.kind === 'depthwise') addresses[i] = depthwiseFilters(wk, w, s.plan.outShape[1], s.plan.win.plane!, s.plan.filters);
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
  const n = s.inShape[0];
  const c = s.inShape[1];
  const m = s.plan.outShape[1];
  if (s.kind === 'depthwise') depthwiseInHeap(wk, n, c, m, plane, wPtr, b, lo, hi, xPtr, yPtr);
  else if (s.kind === 'pointwise') pointwiseInHeap(wk, s.pointwise!, wPtr, b, lo, hi, xPtr, yPtr, accumulate);
  else convGroupsInHeap(wk, n, c, m, plane, s.plan.win, s.attrs.group, b, lo, hi, wPtr, xPtr, yPtr);
}
