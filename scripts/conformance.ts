/**
 * ONNX backend conformance: runs the node/simple test cases (and the light CNN models) whose ops
 * all have kernels through the production path (compileModel -> readArtifact ->
 * InferenceSession.run) and compares with the expected outputs.
 *
 *   npm run conformance [-- --op Add] [-- --test test_add_bcast] [-- --verbose] [-- --no-light] [-- --load-light] [-- --no-wasm]
 *
 * The light CNN models (224x224 ImageNet networks: ResNet-50, VGG-19, DenseNet-121, ...) run and
 * are checked by default, which takes seconds with the WebAssembly kernels; --load-light only
 * compiles and loads them (minutes are saved with --no-wasm), --no-light leaves them out.
 *
 * Ends with "N passed, M failed, K skipped"; exits 0 iff every failure is listed in
 * conformance/expected-failures.tsv. Data: the repository's archive conformance/onnx-backend-test-data.tar.br,
 * unpacked on first use into .cache/ (or ONNX_CONFORMANCE_DIR).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadKernelsModule } from '../lib/wasm-module';
import { ensureConformanceData } from './conformance-data';
import { useWasmKernels } from '../worker/runtime/wasm';
import { compileModel, decodeTensorProto, importOnnx, isSupportedOp } from '../lib/model-compiler';
import { forEachNode } from '../lib/model-compiler/graph-utils';
import { readArtifact } from '../worker/runtime/artifact';
import { InferenceSession } from '../worker/runtime/session';
import { allKernels } from '../worker/runtime/kernels/registry';
import { Tensor, sameShape } from '../worker/runtime/tensor';

const repoRoot = path.resolve(__dirname, '..');

export interface ConformanceOptions {
  /** @default $ONNX_CONFORMANCE_DIR or the repository's archive, unpacked */
  readonly dir?: string;
  /** only tests that use this op ("Add", or "ai.onnx.ml:TreeEnsemble") */
  readonly op?: string;
  /** only the test with this name */
  readonly test?: string;
  /**
   * The light CNN models: 'run' compiles, runs and compares them; 'load' only compiles and loads
   * them (a failure to load still fails); 'none' leaves them out.
   * @default 'run'
   */
  readonly light?: 'run' | 'load' | 'none';
  /** @default <repo>/conformance/expected-failures.tsv */
  readonly expectedFailuresFile?: string;
  /**
   * Run with the WebAssembly kernels installed, as the Worker does; false tests the JavaScript
   * fallback kernels instead.
   * @default true
   */
  readonly wasm?: boolean;
}

export type Status = 'passed' | 'failed' | 'skipped';

export interface TestOutcome {
  readonly name: string;
  readonly ops: readonly string[];
  readonly status: Status;
  readonly reason?: string;
  readonly ms: number;
}

export interface ConformanceReport {
  readonly outcomes: TestOutcome[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** failures not listed in expected-failures.tsv */
  readonly unexpected: TestOutcome[];
  /** listed as expected failures but passing now */
  readonly stale: string[];
}

interface TestCase {
  readonly name: string;
  readonly dir?: string;
  /** "Op" or "domain:Op" */
  readonly ops: string[];
  readonly ortStatus: string;
  readonly ortNote: string;
  readonly light?: { model: string; output: string };
}

export function conformanceDir(options: ConformanceOptions = {}): string {
  return options.dir ?? ensureConformanceData();
}

function splitOp(key: string): [string, string] {
  const i = key.lastIndexOf(':');
  return i < 0 ? ['', key] : [key.slice(0, i), key.slice(i + 1)];
}

function readManifest(dir: string): Map<string, { ops: string[]; status: string; note: string }> {
  const rows = new Map<string, { ops: string[]; status: string; note: string }>();
  const file = path.join(dir, 'manifest.tsv');
  if (!existsSync(file)) return rows;
  const lines = readFileSync(file, 'utf8').split('\n').slice(1);
  for (const line of lines) {
    if (!line.trim()) continue;
    const [name, ops, , status, note] = line.split('\t');
    rows.set(name, { ops: ops ? ops.split(',').filter(Boolean) : [], status: status ?? '', note: note ?? '' });
  }
  return rows;
}

function opsOfModel(file: string): string[] {
  const ops = new Set<string>();
  try {
    const model = importOnnx(readFileSync(file), { problems: [] });
    forEachNode(model.graph, (n) => ops.add(n.domain ? `${n.domain}:${n.op}` : n.op));
  } catch {
    ops.add('(unreadable model)');
  }
  return [...ops];
}

function collectCases(dir: string, light: boolean): TestCase[] {
  const manifest = readManifest(dir);
  const cases: TestCase[] = [];
  for (const group of ['node', 'simple']) {
    const groupDir = path.join(dir, group);
    if (!existsSync(groupDir)) continue;
    for (const name of readdirSync(groupDir).sort()) {
      const testDir = path.join(groupDir, name);
      if (!existsSync(path.join(testDir, 'model.onnx'))) continue;
      const row = manifest.get(name);
      cases.push({
        name,
        dir: testDir,
        ops: row ? row.ops : opsOfModel(path.join(testDir, 'model.onnx')),
        ortStatus: row ? row.status : 'pass',
        ortNote: row ? row.note : '',
      });
    }
  }
  const lightDir = path.join(dir, 'light');
  if (light && existsSync(lightDir)) {
    for (const file of readdirSync(lightDir).sort()) {
      if (!file.endsWith('.onnx')) continue;
      const name = file.replace(/\.onnx$/, '');
      const output = path.join(lightDir, `${name}_output_0.pb`);
      if (!existsSync(output)) continue;
      const model = path.join(lightDir, file);
      cases.push({ name, ops: opsOfModel(model), ortStatus: 'pass', ortNote: '', light: { model, output } });
    }
  }
  return cases;
}

function pbFiles(dir: string, prefix: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.pb'))
    .sort((a, b) => Number(a.slice(prefix.length, -3)) - Number(b.slice(prefix.length, -3)))
    .map((f) => path.join(dir, f));
}

/** Why `actual` does not match `expected`, or undefined when it does. */
export function compareTensors(expected: Tensor, actual: Tensor, atol = 1e-5, rtol = 1e-3): string | undefined {
  if (expected.dtype !== actual.dtype) return `dtype ${actual.dtype}, expected ${expected.dtype}`;
  if (!sameShape(expected.shape, actual.shape)) return `shape [${actual.shape.join(', ')}], expected [${expected.shape.join(', ')}]`;
  const e = expected.data as ArrayLike<number | bigint | string>;
  const a = actual.data as ArrayLike<number | bigint | string>;
  const float = expected.dtype === 'float32' || expected.dtype === 'float64';
  let bad = 0;
  let first = -1;
  for (let i = 0; i < e.length; i++) {
    let ok: boolean;
    if (float) {
      const x = e[i] as number;
      const y = a[i] as number;
      ok = Number.isNaN(x) ? Number.isNaN(y) : x === y || Math.abs(x - y) <= atol + rtol * Math.abs(x);
    } else ok = e[i] === a[i];
    if (!ok) {
      bad++;
      if (first < 0) first = i;
    }
  }
  if (bad === 0) return undefined;
  return `${bad} of ${e.length} values differ; first at index ${first}: got ${String(a[first])}, expected ${String(e[first])}`;
}

/** Deterministic input for the light models (their expected output barely depends on it). */
function lightInput(session: InferenceSession): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {};
  let seed = 12345;
  for (const v of session.inputs) {
    const shape = (v.shape ?? []).map((d) => (typeof d === 'number' ? d : 1));
    const t = Tensor.zeros(v.dtype, shape);
    if (v.dtype === 'float32' || v.dtype === 'float64') {
      const data = t.data as Float32Array;
      for (let i = 0; i < data.length; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        data[i] = seed / 2 ** 32;
      }
    }
    feeds[v.name] = t;
  }
  return feeds;
}

function runCase(c: TestCase, light: 'run' | 'load' | 'none'): { status: Status; reason?: string } {
  if (c.name.startsWith('test_training_dropout')) return { status: 'skipped', reason: "depends on numpy's random generator" };
  if (c.ortStatus !== 'pass') return { status: 'skipped', reason: `onnxruntime ${c.ortStatus}${c.ortNote ? `: ${c.ortNote.slice(0, 80)}` : ''}` };
  const missing = c.ops.filter((k) => !isSupportedOp(...splitOp(k)));
  if (missing.length) return { status: 'skipped', reason: `unsupported: ${missing.join(', ')}` };
  const modelFile = c.light ? c.light.model : path.join(c.dir!, 'model.onnx');
  let session: InferenceSession;
  try {
    const compiled = compileModel(readFileSync(modelFile));
    session = InferenceSession.create(readArtifact(compiled.artifact), { kernels: allKernels });
  } catch (e) {
    return { status: 'failed', reason: `compile: ${(e as Error).message}` };
  }
  if (c.light && light !== 'run') return { status: 'skipped', reason: 'compiled and loaded; run with --light to execute it' };
  const sets: Array<{ feeds: () => Record<string, Tensor>; expected: string[] }> = [];
  if (c.light) sets.push({ feeds: () => lightInput(session), expected: [c.light.output] });
  else {
    for (const d of readdirSync(c.dir!).filter((f) => f.startsWith('test_data_set_')).sort()) {
      const setDir = path.join(c.dir!, d);
      sets.push({
        feeds: () => {
          const inputs = pbFiles(setDir, 'input_');
          const feeds: Record<string, Tensor> = {};
          inputs.forEach((f, i) => {
            const info = session.inputs[i];
            if (info) feeds[info.name] = decodeTensorProto(readFileSync(f));
          });
          return feeds;
        },
        expected: pbFiles(setDir, 'output_'),
      });
    }
  }
  for (const [setIndex, set] of sets.entries()) {
    let results: Record<string, Tensor>;
    try {
      results = session.run(set.feeds());
    } catch (e) {
      return { status: 'failed', reason: `run (data set ${setIndex}): ${(e as Error).message}` };
    }
    for (const [k, file] of set.expected.entries()) {
      const out = session.outputs[k];
      if (!out) return { status: 'failed', reason: `expected output ${k} but the model has ${session.outputs.length}` };
      let expected: Tensor;
      try {
        expected = decodeTensorProto(readFileSync(file));
      } catch (e) {
        return { status: 'skipped', reason: `expected output is not a plain tensor (${(e as Error).message.slice(0, 60)})` };
      }
      const why = c.light ? compareTensors(expected, results[out.name], 1e-3, 5e-2) : compareTensors(expected, results[out.name]);
      if (why) return { status: 'failed', reason: `data set ${setIndex}, output "${out.name}": ${why}` };
    }
  }
  return { status: 'passed' };
}

export function readExpectedFailures(file: string): Map<string, string> {
  const listed = new Map<string, string>();
  if (!existsSync(file)) return listed;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [name, reason] = line.split('\t');
    listed.set(name.trim(), (reason ?? '').trim());
  }
  return listed;
}

export function runConformance(options: ConformanceOptions = {}): ConformanceReport {
  const dir = conformanceDir(options);
  if (!existsSync(path.join(dir, 'node'))) throw new Error(`ONNX conformance data not found at ${dir} (no node/ folder)`);
  const wantOp = options.op;
  const light = options.light ?? 'run';
  useWasmKernels(options.wasm === false ? null : loadKernelsModule());
  let cases = collectCases(dir, light !== 'none');
  if (options.test) cases = cases.filter((c) => c.name === options.test);
  if (wantOp) cases = cases.filter((c) => c.ops.some((k) => k === wantOp || splitOp(k)[1] === wantOp));
  const outcomes: TestOutcome[] = cases.map((c) => {
    const started = Date.now();
    const r = runCase(c, light);
    return { name: c.name, ops: c.ops, ...r, ms: Date.now() - started };
  });
  const listed = readExpectedFailures(options.expectedFailuresFile ?? path.join(repoRoot, 'conformance', 'expected-failures.tsv'));
  const unexpected = outcomes.filter((o) => o.status === 'failed' && !listed.has(o.name));
  const stale = outcomes.filter((o) => o.status === 'passed' && listed.has(o.name)).map((o) => o.name);
  const count = (s: Status) => outcomes.filter((o) => o.status === s).length;
  return { outcomes, passed: count('passed'), failed: count('failed'), skipped: count('skipped'), unexpected, stale };
}

/** Per-op counts: a test counts once under each op it uses. */
export function opTable(report: ConformanceReport): string {
  const rows = new Map<string, [number, number, number]>();
  for (const o of report.outcomes) {
    for (const op of new Set(o.ops)) {
      const r = rows.get(op) ?? [0, 0, 0];
      r[o.status === 'passed' ? 0 : o.status === 'failed' ? 1 : 2]++;
      rows.set(op, r);
    }
  }
  const names = [...rows.keys()].sort((a, b) => a.localeCompare(b));
  const width = Math.max(2, ...names.map((n) => n.length));
  const lines = [`${'op'.padEnd(width)}  passed  failed  skipped`];
  for (const n of names) {
    const [p, f, s] = rows.get(n)!;
    lines.push(`${n.padEnd(width)}  ${String(p).padStart(6)}  ${String(f).padStart(6)}  ${String(s).padStart(7)}`);
  }
  return lines.join('\n');
}

function main(): void {
  const { values } = parseArgs({
    options: {
      op: { type: 'string' },
      test: { type: 'string' },
      verbose: { type: 'boolean', short: 'v' },
      light: { type: 'boolean' },
      'load-light': { type: 'boolean' },
      'no-light': { type: 'boolean' },
      'no-wasm': { type: 'boolean' },
    },
  });
  const started = Date.now();
  const report = runConformance({ op: values.op, test: values.test, light: values['no-light'] ? 'none' : values['load-light'] ? 'load' : 'run', wasm: !values['no-wasm'] });
  console.log(opTable(report));
  console.log('');
  const listed = readExpectedFailures(path.join(repoRoot, 'conformance', 'expected-failures.tsv'));
  for (const o of report.outcomes) {
    if (o.status === 'failed' && (values.verbose || !listed.has(o.name))) {
      console.log(`FAIL ${o.name}${listed.has(o.name) ? ' (expected)' : ''}: ${o.reason}`);
    } else if (values.verbose && o.status === 'skipped' && values.test) {
      console.log(`SKIP ${o.name}: ${o.reason}`);
    }
  }
  for (const name of report.stale) console.log(`stale: ${name} passes now; remove it from conformance/expected-failures.tsv`);
  const slow = report.outcomes.filter((o) => o.ms > 2000).sort((a, b) => b.ms - a.ms);
  if (values.verbose) for (const o of slow) console.log(`slow: ${o.name} ${o.ms} ms`);
  console.log(`conformance took ${((Date.now() - started) / 1000).toFixed(1)} s; ${report.unexpected.length} unexpected failure(s)`);
  console.log(`${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
  process.exitCode = report.unexpected.length === 0 ? 0 : 1;
}

if (require.main === module) main();
