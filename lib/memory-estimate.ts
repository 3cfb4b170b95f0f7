/**
 * A coarse estimate of a model's peak memory in one Worker isolate, compared at synth time with
 * the platform's 128 MB. Every part is an upper bound or a round figure, documented here:
 *
 *   runtime      RUNTIME_BASE_BYTES: the isolate, the Worker bundle, Hono, the kernels module
 *   model        the model module (the whole artifact when the weights are in the script)
 *   weights      the shard bodies read from the assets, which the Worker keeps as the weights (a
 *                run of shards holding one tensor is read into one buffer); 0 when in the
 *                script: it is the module
 *   dequantized  float32 copies of int8 weights, made on load
 *   packed       the WebAssembly kernels' packed copies of the float32 weights, two per weight
 *                (a one-row product reads its own layout, so a session that runs batch 1 and
 *                larger batches keeps both), capped at the runtime's 64 MiB persistent limit
 *   working set  of one request: buffers allocated by a run at batch 1 and 2 on zeros (none
 *                counted as freed), extrapolated to the largest batch `limits.maxTensorElements`
 *                lets through.
 */
import type { BuiltModel } from './model-build';

export const ISOLATE_MEMORY_BYTES = 128 * 1024 * 1024;
export const RUNTIME_BASE_BYTES = 8 * 1024 * 1024;
/** worker/runtime/wasm.ts: packed weights beyond this are packed per call instead of kept. */
export const PACKED_WEIGHTS_LIMIT_BYTES = 64 * 1024 * 1024;
/** worker/runtime/kernels/linalg/gemm.ts: plain panels for the GEMM, the one-row layout for the GEMV. */
const PACKED_LAYOUTS = 2;

export interface MemoryEstimate {
  readonly totalBytes: number;
  readonly runtimeBytes: number;
  /** model module + shard bodies + dequantized copies */
  readonly weightsBytes: number;
  readonly packedBytes: number;
  readonly workingSetBytes: number;
  /** the batch the working set is estimated at */
  readonly batchRows: number;
  /** false when the model could not be run on zeros: the working set is then left out */
  readonly workingSetMeasured: boolean;
}

type EstimateInput = Pick<BuiltModel, 'bytes' | 'weightBytes' | 'dequantizedBytes' | 'workingSet' | 'weights'>;

/** The largest batch (rows) a request can carry within `maxTensorElements`. */
export function batchLimit(model: Pick<BuiltModel, 'workingSet'>, maxTensorElements: number): number {
  const ws = model.workingSet;
  if (!ws || !ws.batched) return 1;
  return Math.max(1, Math.floor(maxTensorElements / ws.inputElementsPerRow));
}

export function estimatePeakMemory(model: EstimateInput, maxTensorElements: number): MemoryEstimate {
  const weightsBytes = model.bytes + (model.weights?.bytes ?? 0) + model.dequantizedBytes;
  // The kernels pack float32 weights: the dequantized copies, not the int8 values (a quarter of their size).
  const floatWeights = Math.max(0, model.weightBytes - model.dequantizedBytes / 4) + model.dequantizedBytes;
  const packedBytes = Math.min(PACKED_LAYOUTS * floatWeights, PACKED_WEIGHTS_LIMIT_BYTES);
  const batchRows = batchLimit(model, maxTensorElements);
  const ws = model.workingSet;
  const workingSetBytes = ws ? ws.fixedBytes + ws.perRowBytes * batchRows : 0;
  const totalBytes = RUNTIME_BASE_BYTES + weightsBytes + packedBytes + workingSetBytes;
  return { totalBytes, runtimeBytes: RUNTIME_BASE_BYTES, weightsBytes, packedBytes, workingSetBytes, batchRows, workingSetMeasured: ws !== undefined };
}

/** The largest maxTensorElements whose estimate fits, or undefined when even one row does not. */
export function largestFittingTensorElements(model: EstimateInput): number | undefined {
  const ws = model.workingSet;
  if (!ws || !ws.batched) return undefined;
  const one = estimatePeakMemory(model, ws.inputElementsPerRow);
  if (one.totalBytes > ISOLATE_MEMORY_BYTES) return undefined;
  const rows = ws.perRowBytes > 0 ? 1 + Math.floor((ISOLATE_MEMORY_BYTES - one.totalBytes) / ws.perRowBytes) : Number.MAX_SAFE_INTEGER;
  return Math.min(Number.MAX_SAFE_INTEGER, rows * ws.inputElementsPerRow);
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

/** One line: the estimate and its parts. */
export function describeEstimate(e: MemoryEstimate): string {
  const ws = e.workingSetMeasured ? `working set ${mib(e.workingSetBytes)} at ${e.batchRows} row${e.batchRows === 1 ? '' : 's'}` : 'working set not measured (the model does not run on zero inputs)';
  return `peak memory ~${mib(e.totalBytes)} of ${mib(ISOLATE_MEMORY_BYTES)} (runtime ${mib(e.runtimeBytes)}, model and weights ${mib(e.weightsBytes)}, packed weights ${mib(e.packedBytes)}, ${ws})`;
}
