/**
 * `model-edge check <model.onnx>`: what the model takes and returns, which of its ops the runtime
 * supports, whether the compiled artifact fits the Workers size limits (or where its weights go
 * when it does not), its estimated peak memory in one isolate, its CPU time per request at batch 1
 * on this machine and, with `--precision int8`, the accuracy change. Exits 1 listing every problem
 * (all unsupported nodes at once).
 */
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { ModelError } from '../../worker/runtime/errors';
import type { Model } from '../../worker/runtime/graph';
import { checkModel, compileModel, importOnnx, ModelCompileError, shardArtifactWeights, WEIGHT_PRECISIONS, type WeightPrecision } from '../model-compiler';
import { exporterHint } from '../model-compiler/exporter-hints';
import { timeBatchOne } from '../model-compiler/memory-probe';
import { readArtifact } from '../../worker/runtime/artifact';
import { DEFAULT_LIMITS } from '../config/runtime';
import { ISOLATE_MEMORY_BYTES, describeEstimate, estimatePeakMemory, largestFittingTensorElements } from '../memory-estimate';
import { installWasmKernels } from '../wasm-module';
import { artifactLayout } from '../model-build';
import { int8Summary } from './serve';
import { checkFileSize } from '../model-compiler/onnx-import';
import { tensorSpec } from '../model-compiler/signature';
import { tensorMetadata } from '../../worker/protocol/v2-response';
import { classLabelsText, zipMapLabels } from '../../worker/protocol/zipmap-labels';
import type { CliCommand } from './main';

/** Workers script size limits after gzip, all modules together. */
export const WORKERS_LIMITS = { free: 3 * 1024 * 1024, paid: 10 * 1024 * 1024 };

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

function ioLines(model: Model): string[] {
  const lines: string[] = [];
  const zipMaps = zipMapLabels(model.graph);
  const rows = (title: string, infos: Model['graph']['inputs']) => {
    lines.push(`${title}:`);
    if (infos.length === 0) lines.push('  (none)');
    const width = Math.max(0, ...infos.map((v) => v.name.length));
    for (const v of infos) {
      // What the Worker's metadata says: a ZipMap output is an FP32 [N, C] tensor of scores over its labels.
      const labels = zipMaps.get(v.name);
      const spec = v.kind === 'map-rows' ? tensorMetadata(v, labels) : tensorSpec(v);
      const extra = v.kind === 'map-rows' ? `  (ZipMap scores; V2 parameters.class_labels ${labels ? classLabelsText(labels) : 'unknown'}, V1 rows of {label: score})` : '';
      lines.push(`  ${v.name.padEnd(width)}  ${spec.datatype.padEnd(5)}  [${spec.shape.join(', ')}]${extra}`);
    }
  };
  rows('Inputs', model.graph.inputs);
  rows('Outputs', model.graph.outputs);
  return lines;
}

/** For each unsupported op with a known exporter option that avoids it, that option. */
function hintLines(unsupported: ReadonlyArray<{ readonly domain: string; readonly op: string }>): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const { domain, op } of unsupported) {
    const key = domain ? `${domain}.${op}` : op;
    if (seen.has(key)) continue;
    seen.add(key);
    const hint = exporterHint(domain, op);
    if (hint) lines.push(`  ${key}: ${hint}`);
  }
  return lines.length ? ['How to export without them:', ...lines] : [];
}

export interface CheckReport {
  readonly ok: boolean;
  readonly text: string;
}

export interface CheckOptions {
  /** @default 'float32' */
  readonly precision?: WeightPrecision;
  /** the deployment's limits.maxTensorElements, which bounds the batch @default 1000000 */
  readonly maxTensorElements?: number;
  /** time one inference at batch 1 on this machine @default true */
  readonly timing?: boolean;
}

/** The report for one .onnx file's bytes (the CLI prints it). */
export function checkReport(bytes: Uint8Array, source: string, options: CheckOptions = {}): CheckReport {
  const out: string[] = [`${source} (${formatBytes(bytes.byteLength)})`, ''];
  const problems: string[] = [];
  let model: Model;
  try {
    model = importOnnx(bytes, { problems });
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    out.push(`error: ${e.message}`);
    return { ok: false, text: out.join('\n') };
  }
  out.push(...ioLines(model), '');
  const check = checkModel(model);
  out.push(`Ops (${check.nodeCount} nodes):`);
  const width = Math.max(0, ...check.ops.map((o) => o.op.length));
  for (const o of check.ops) out.push(`  ${o.op.padEnd(width)}  ${String(o.count).padStart(5)}  ${o.supported ? 'supported' : 'UNSUPPORTED'}`);
  const missing = check.ops.filter((o) => !o.supported);
  if (missing.length) out.push(`Unsupported ops: ${missing.map((o) => `${o.op} (${o.count} node${o.count === 1 ? '' : 's'})`).join(', ')}`);
  out.push(...hintLines(check.unsupported));
  out.push('');
  try {
    const compiled = compileModel(bytes, { source, precision: options.precision });
    const gz = gzipSync(compiled.artifact).byteLength;
    const s = compiled.stats;
    out.push(
      `Artifact: ${formatBytes(s.artifactBytes)} (${formatBytes(gz)} gzip) from ${formatBytes(s.sourceBytes)} of ONNX; ` +
        `${s.nodesAfter} nodes after folding ${s.foldedNodes} and pruning ${s.prunedNodes}`,
    );
    let ok = true;
    let weights: { bytes: number; shards: number } | undefined;
    let scriptBytes = s.artifactBytes;
    if (gz <= WORKERS_LIMITS.paid) {
      const fits = gz <= WORKERS_LIMITS.free ? 'fits the Free plan (3 MB gzip)' : 'needs the Paid plan (over 3 MB gzip, within 10 MB), or its weights as static assets on Free';
      out.push(`Workers size limit: ${fits}; the runtime bundle adds to this.`);
    }
    if (gz > WORKERS_LIMITS.free) {
      const sharded = shardArtifactWeights(compiled.artifact);
      const rest = gzipSync(sharded.artifact).byteLength;
      weights = { bytes: sharded.shards.reduce((n, x) => n + x.length, 0), shards: sharded.shards.length };
      scriptBytes = sharded.artifact.byteLength;
      ok = rest <= WORKERS_LIMITS.paid;
      out.push(
        ok
          ? `Weights as static assets (weights.storage "auto"): ${formatBytes(weights.bytes)} in ${weights.shards} shard${weights.shards === 1 ? '' : 's'} of at most 25 MiB; the script keeps ${formatBytes(rest)} gzip of graph.`
          : `TOO LARGE for Workers: even without its weights the graph is ${formatBytes(rest)} gzip, over 10 MB.`,
      );
    }
    const maxTensorElements = options.maxTensorElements ?? DEFAULT_LIMITS.maxTensorElements;
    const layout = artifactLayout(compiled.artifact);
    const built = { bytes: scriptBytes, weightBytes: layout.blobBytes, dequantizedBytes: layout.dequantizedBytes, workingSet: compiled.workingSet, weights: weights && { directory: '', ...weights } };
    const estimate = estimatePeakMemory(built, maxTensorElements);
    out.push(`Memory: ${describeEstimate(estimate)}, at limits.maxTensorElements ${maxTensorElements}`);
    if (estimate.totalBytes > ISOLATE_MEMORY_BYTES) {
      ok = false;
      const fits = largestFittingTensorElements(built);
      out.push(`  OVER the isolate's 128 MB: ${fits !== undefined ? `set limits.maxTensorElements to at most ${fits}` : 'the weights alone do not fit; deploy a smaller model'}`);
    }
    if (options.timing !== false) {
      installWasmKernels();
      const ms = timeBatchOne(readArtifact(compiled.artifact));
      out.push(ms === undefined ? 'CPU per request: not measured (the model does not run on zero inputs)' : `CPU per request at batch 1 on this machine: ${ms.toFixed(2)} ms (median of 5 inferences; Free allows 10 ms per request)`);
    }
    if (compiled.int8) out.push(`int8 weights: ${int8Summary(compiled.int8)}`);
    out.push(`sha256: ${compiled.sha256}`);
    return { ok, text: out.join('\n') };
  } catch (e) {
    if (!(e instanceof ModelCompileError)) throw e;
    out.push(`The model cannot be deployed (${e.problems.length} problem${e.problems.length === 1 ? '' : 's'}):`);
    for (const p of e.problems) out.push(`  - ${p}`);
    return { ok: false, text: out.join('\n') };
  }
}

export const command: CliCommand = {
  summary: 'Check that an ONNX model can run on model-edge: inputs, outputs, op coverage, artifact size.',
  usage: 'model-edge check <model.onnx> [--precision float32|int8] [--max-tensor-elements N]',
  run(argv) {
    const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { precision: { type: 'string' }, 'max-tensor-elements': { type: 'string' } } });
    const precision = values.precision ?? 'float32';
    if (!WEIGHT_PRECISIONS.includes(precision as WeightPrecision)) {
      console.error(`--precision must be one of ${WEIGHT_PRECISIONS.join(', ')}, got "${values.precision}"`);
      return 2;
    }
    const maxTensorElements = values['max-tensor-elements'] === undefined ? undefined : Number(values['max-tensor-elements']);
    if (maxTensorElements !== undefined && !(Number.isSafeInteger(maxTensorElements) && maxTensorElements > 0)) {
      console.error(`--max-tensor-elements must be a positive whole number, got "${values['max-tensor-elements']}"`);
      return 2;
    }
    if (positionals.length !== 1) {
      console.error(`Usage: ${this.usage}`);
      return 2;
    }
    let bytes: Uint8Array;
    try {
      // the size limit holds before a byte is read
      checkFileSize(statSync(positionals[0]).size);
      bytes = readFileSync(positionals[0]);
    } catch (e) {
      if (e instanceof ModelError) {
        console.error(`${positionals[0]}: error: ${e.message}`);
        return 1;
      }
      console.error(`model-edge check: cannot read ${positionals[0]}: ${(e as Error).message}`);
      return 1;
    }
    const report = checkReport(bytes, positionals[0], { precision: precision as WeightPrecision, maxTensorElements });
    (report.ok ? console.log : console.error)(report.text);
    return report.ok ? 0 : 1;
  },
};
