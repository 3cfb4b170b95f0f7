/**
 * ONNX -> edge artifact: import, check (every problem at once), fold constants, prune and order,
 * serialize; then load the artifact back and bind a session, so that a model that compiles runs.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readArtifact } from '../../worker/runtime/artifact';
import { ModelError } from '../../worker/runtime/errors';
import type { Model, Opsets } from '../../worker/runtime/graph';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { withPrivateWasmKernels } from '../../worker/runtime/wasm';
import { CheckLimits, checkModel } from './check';
import { CompileBudget, CompileBudgetLimits, exhaustionIn } from './compile-budget';
import { writeArtifact } from './artifact-writer';
import { ModelCompileError } from './errors';
import { foldConstants, FoldStats } from './fold';
import { fuseGraph } from './fuse';
import { fuseGelus } from './fuse-gelu';
import { fuseMatMulEpilogues } from './fuse-matmul';
import { FuseStats, fuseActivations } from './fuse-activation';
import { fuseConvChains } from './fuse-conv-chain';
import { fuseResidualAdds } from './fuse-residual';
import { countNodes } from './graph-utils';
import { ImportLimits, checkFileSize, importOnnx } from './onnx-import';
import { PlanStats, planGraph } from './plan';
import { inferOutputShapes } from './shape-probe';
import { quantizeWeights } from './int8-quantize';
import { Int8Accuracy, measureInt8Accuracy } from './int8-accuracy';
import { WorkingSet, measureWorkingSet } from './memory-probe';
import { ModelSignature, signatureOf } from './signature';

export { ModelCompileError } from './errors';
export { importOnnx, decodeTensorProto, DEFAULT_IMPORT_LIMITS } from './onnx-import';
export type { ImportLimits } from './onnx-import';
export { CompileBudget, CompileBudgetError, DEFAULT_COMPILE_BUDGET } from './compile-budget';
export type { CompileBudgetLimits } from './compile-budget';
export { writeArtifact } from './artifact-writer';
export { shardArtifactWeights, MAX_SHARD_BYTES } from './weight-shards';
export type { ShardedArtifact } from './weight-shards';
export type { Int8Accuracy } from './int8-accuracy';
export type { WorkingSet } from './memory-probe';
export { checkModel, isSupportedOp } from './check';
export type { CheckResult, OpUsage, UnsupportedNode } from './check';
export type { ModelSignature, TensorSpec, KServeDatatype } from './signature';

export interface CompileOptions {
  /**
   * Fold constant subgraphs into initializers.
   * @default true
   */
  readonly fold?: boolean;
  /** Limits on the file and graph size; see ImportLimits and CheckLimits for the defaults. */
  readonly limits?: CheckLimits & ImportLimits;
  /** Limits on the work compiling may do (folding, the shape probe); see CompileBudgetLimits. */
  readonly budget?: CompileBudgetLimits;
  /** `'int8'` stores eligible float32 weights as int8 (see int8-quantize.ts). @default 'float32' */
  readonly precision?: WeightPrecision;
  /**
   * Named in error messages (usually the file path).
   * @default - none
   */
  readonly source?: string;
}

export interface CompileStats {
  /** size of the .onnx input */
  readonly sourceBytes: number;
  readonly artifactBytes: number;
  /** bytes of tensor data in the artifact */
  readonly weightBytes: number;
  readonly nodesBefore: number;
  readonly nodesAfter: number;
  readonly foldedNodes: number;
  readonly prunedNodes: number;
  readonly initializers: number;
  /** op -> count in the compiled graph ("domain.Op" outside ai.onnx) */
  readonly ops: Readonly<Record<string, number>>;
  readonly compileMs: number;
}

export type WeightPrecision = 'float32' | 'int8';
export const WEIGHT_PRECISIONS: readonly WeightPrecision[] = ['float32', 'int8'];

export interface CompiledModel {
  /** the Worker's data module */
  readonly artifact: Uint8Array;
  /** hex SHA-256 of the artifact */
  readonly sha256: string;
  /** hex SHA-256 of the .onnx input */
  readonly sourceSha256: string;
  readonly signature: ModelSignature;
  readonly opsets: Opsets;
  readonly stats: CompileStats;
  /** with precision 'int8': how much the answers changed against float32 */
  readonly int8?: Int8Accuracy;
  /** the runtime's working set per request (undefined when the model cannot run on zero inputs) */
  readonly workingSet?: WorkingSet;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function weightBytesOf(model: Model): number {
  let n = 0;
  for (const t of model.graph.initializers.values()) if (t.dtype !== 'string') n += (t.data as Uint8Array).byteLength;
  return n;
}

function opCounts(model: Model): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const n of model.graph.nodes) {
    const key = n.domain ? `${n.domain}.${n.op}` : n.op;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Compiles .onnx bytes into the edge artifact; throws ModelCompileError listing every problem. */
export function compileModel(onnxBytes: Uint8Array, options: CompileOptions = {}): CompiledModel {
  // The compiler's sessions (folding, the shape probe, the artifact check) are thrown away at once:
  // they run in a private kernels instance so that their packed weights leave the installed one's
  // memory to the sessions that stay.
  return withPrivateWasmKernels(() => compileOnce(onnxBytes, options));
}

function compileOnce(onnxBytes: Uint8Array, options: CompileOptions): CompiledModel {
  const started = Date.now();
  const fail = (problems: string[]): never => {
    throw new ModelCompileError(problems, options.source);
  };
  const importProblems: string[] = [];
  let model: Model;
  try {
    model = importOnnx(onnxBytes, { problems: importProblems, limits: options.limits });
  } catch (e) {
    if (e instanceof ModelError) return fail([e.message]);
    if (exhaustionIn(e)) return fail([`decoding the model exhausted the compiler (${(e as Error).message}); the file is too large or too deeply nested`]);
    throw e;
  }
  const check = checkModel(model, options.limits);
  const problems = [...importProblems, ...check.problems];
  if (problems.length > 0) fail(problems);

  const foldStats: FoldStats = { foldedNodes: 0, constantNodes: 0 };
  const planStats: PlanStats = { prunedNodes: 0, prunedInitializers: 0 };
  const fuseStats: FuseStats = { fusedActivations: 0 };
  const budget = new CompileBudget(options.budget);
  let compiled: Model;
  try {
    const ordered: Model = { ...model, graph: planGraph(model.graph, planStats) };
    const folded = options.fold === false ? ordered : foldConstants(ordered, foldStats, budget);
    const products = fuseResidualAdds(fuseMatMulEpilogues(fuseGelus(fuseGraph(folded))), budget.limits);
    const fused = fuseConvChains(fuseActivations(products, fuseStats), budget.limits);
    compiled = inferOutputShapes({ ...fused, graph: planGraph(fused.graph, planStats) }, budget);
  } catch (e) {
    if (e instanceof ModelError) return fail([e.message]);
    // an allocation that failed must fail the compile, never pass for success
    if (exhaustionIn(e)) return fail([`compiling the model exhausted the compiler (${(e as Error).message}); it needs more memory than an edge Worker has`]);
    throw e;
  }
  const int8Weights = options.precision === 'int8' ? quantizeWeights(compiled) : undefined;
  const artifact = writeArtifact(compiled, { int8: int8Weights });

  // A model that compiles must load: read the artifact back and bind every node to its kernel.
  try {
    InferenceSession.create(readArtifact(artifact), { kernels: allKernels });
  } catch (e) {
    if (e instanceof ModelError) fail([`the compiled artifact does not load: ${e.message}`]);
    throw e;
  }
  return {
    artifact,
    sha256: sha256(artifact),
    sourceSha256: sha256(onnxBytes),
    signature: signatureOf(compiled.graph),
    opsets: compiled.opsets,
    ...(int8Weights ? { int8: measureInt8Accuracy(compiled, artifact, int8Weights.size) } : {}),
    workingSet: measureWorkingSet(compiled),
    stats: {
      sourceBytes: onnxBytes.byteLength,
      artifactBytes: artifact.byteLength,
      weightBytes: weightBytesOf(compiled),
      nodesBefore: check.nodeCount,
      nodesAfter: countNodes(compiled.graph),
      foldedNodes: foldStats.foldedNodes + foldStats.constantNodes,
      prunedNodes: planStats.prunedNodes,
      initializers: compiled.graph.initializers.size,
      ops: opCounts(compiled),
      compileMs: Date.now() - started,
    },
  };
}

/** Reads and compiles an .onnx file; errors name the file. */
export function compileModelFile(path: string, options: CompileOptions = {}): CompiledModel {
  let bytes: Uint8Array;
  try {
    // the size limit holds before a byte is read
    checkFileSize(statSync(path).size, options.limits);
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof ModelError) throw new ModelCompileError([e.message], path);
    throw new ModelCompileError([`cannot read the model file: ${(e as Error).message}`], path);
  }
  return compileModel(bytes, { ...options, source: options.source ?? path });
}
