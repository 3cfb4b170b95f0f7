/**
 * Faulty models at synth time (support/faulty-models.ts): each must fail with a clear
 * ModelCompileError naming the problem, within a bounded time (a hang is cut off after
 * CASE_DEADLINE_MS) and bounded memory (peak RSS growth and heap retained after GC), produce no
 * artifact, and leave the process able to compile a good model afterwards.
 * Complements __tests__/compiler/compile-errors.test.ts, which covers other damaged files.
 */
import { spawn } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { compileModel } from '../../lib/model-compiler';
import { ModelEdgeDeployment } from '../../lib/model-edge-deployment';
import { newStack, validConfig } from '../construct/fixtures/stacks';
import { FAULTY_MODELS, reluAddModel } from './support/faulty-models';
import { HOSTILE_MODELS } from './support/hostile-models';

const CASE_DEADLINE_MS = 20_000;
const PEAK_RSS_LIMIT_MB = 256;
const RETAINED_HEAP_LIMIT_MB = 8;
/** Peak RSS of a whole process (Node, ts-node and the compiler included) compiling a hostile model. */
const PROCESS_PEAK_RSS_LIMIT_MB = 1024;
/** A child that has not finished by then is killed and recorded as hung. */
const CHILD_DEADLINE_MS = 120_000;

interface Outcome {
  index: number;
  label: string;
  kind: 'compile-error' | 'compiled' | 'other-error' | 'timeout' | 'worker-died';
  message?: string;
  problems?: string[];
  ms: number;
  /** time to generate the fixture's bytes (inside the case's deadline too) */
  buildMs?: number;
  peakRssDeltaMB: number;
  retainedHeapMB: number;
  inputBytes?: number;
  artifactBytes?: number;
}

/** Compiles every faulty model in a worker thread; a case that hangs or kills it is recorded and the rest go on. */
async function compileAll(): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let worker: Worker | undefined;
  const start = () =>
    new Promise<Worker>((resolve, reject) => {
      const w = new Worker(path.join(__dirname, 'support/compile-worker.js'), { resourceLimits: { maxOldGenerationSizeMb: 1024 } });
      w.once('message', (m) => (m === 'ready' ? resolve(w) : reject(new Error(String(m)))));
      w.once('error', reject);
    });
  for (let index = 0; index < FAULTY_MODELS.length; index++) {
    worker ??= await start();
    const w = worker;
    const label = FAULTY_MODELS[index].label;
    const outcome = await new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => resolve({ index, label, kind: 'timeout', ms: CASE_DEADLINE_MS, peakRssDeltaMB: NaN, retainedHeapMB: NaN }), CASE_DEADLINE_MS);
      const done = (o: Outcome) => {
        clearTimeout(timer);
        w.off('message', done);
        w.off('error', died);
        resolve(o);
      };
      const died = (e: Error) => done({ index, label, kind: 'worker-died', message: e.message, ms: NaN, peakRssDeltaMB: NaN, retainedHeapMB: NaN });
      w.on('message', done);
      w.on('error', died);
      w.postMessage(index);
    });
    if (outcome.kind === 'timeout' || outcome.kind === 'worker-died') {
      await w.terminate();
      worker = undefined;
    }
    outcomes.push(outcome);
  }
  await worker?.terminate();
  return outcomes;
}

let outcomes: Outcome[];
beforeAll(async () => {
  outcomes = await compileAll();
  // The figures for the record (SECURITY.md quotes them).
  console.info(
    outcomes
      .map((o) => `${o.label.padEnd(52)} ${o.kind.padEnd(13)} ${o.ms.toFixed(0).padStart(6)} ms (fixture ${o.buildMs?.toFixed(0) ?? '?'} ms)  peak RSS +${o.peakRssDeltaMB.toFixed(1)} MB  retained heap ${o.retainedHeapMB.toFixed(2)} MB${o.kind === 'other-error' ? `  ${o.message?.slice(0, 120)}` : ''}`)
      .join('\n'),
  );
}, FAULTY_MODELS.length * CASE_DEADLINE_MS + 30_000);

describe('faulty models at synth time', () => {
  it.each(FAULTY_MODELS.map((m, i) => [m.label, i] as const))('%s: a clear ModelCompileError, in bounded time and memory', (_label, index) => {
    const o = outcomes[index];
    expect({ kind: o.kind, message: o.message?.slice(0, 300) }).toEqual({ kind: 'compile-error', message: expect.any(String) });
    expect(o.problems!.join('\n')).toMatch(FAULTY_MODELS[index].problem);
    expect(o.message).not.toMatch(/\n\s+at\s|node_modules/); // no stack trace in the message
    expect(o.peakRssDeltaMB).toBeLessThan(PEAK_RSS_LIMIT_MB);
    expect(o.retainedHeapMB).toBeLessThan(RETAINED_HEAP_LIMIT_MB);
  });

  it('leaves the process able to compile a good model', () => {
    expect(compileModel(reluAddModel()).artifact.byteLength).toBeGreaterThan(0);
  });

  it('writes no artifact into the build folder when a deployment\'s model is faulty', () => {
    const buildDir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-faulty-build-'));
    const modelDir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-faulty-model-'));
    const bad = path.join(modelDir, 'model.onnx');
    writeFileSync(bad, FAULTY_MODELS.find((m) => m.label === 'raw_data longer than its dims')!.bytes());
    expect(() => new ModelEdgeDeployment(newStack(), 'iris', validConfig({ versions: [{ label: 'v1', modelPath: bad }], buildDir }))).toThrow(
      /raw_data holds 64 bytes/,
    );
    const written = existsSync(buildDir) ? readdirSync(buildDir) : [];
    expect(written.filter((f) => f.endsWith('.bin'))).toEqual([]);
  });
});

interface EntryPoint {
  code: number;
  ms: number;
  output: string;
}
interface ChildOutcome {
  label: string;
  bytes: number;
  check?: EntryPoint;
  compileFile?: EntryPoint;
  serve?: EntryPoint;
  peakRssMB?: number;
  /** set when the child crashed, hung or printed no report */
  failure?: string;
}

/** Runs one model file through `model-edge check`, compileModelFile and serve's compile step in a child process. */
function runChild(file: string): Promise<Omit<ChildOutcome, 'label' | 'bytes'>> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'support/hostile-compile-child.js'), file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_DEADLINE_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const report = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(report));
      } catch {
        resolve({ failure: `exit ${code ?? signal}${signal === 'SIGKILL' ? ` (killed after ${CHILD_DEADLINE_MS} ms)` : ''}: ${stderr.slice(-400)}` });
      }
    });
  });
}

describe('hostile models through model-edge check, compileModelFile and model-edge serve, each in its own process', () => {
  let outcomes: ChildOutcome[];
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-hostile-'));
    outcomes = [];
    try {
      for (const [i, model] of HOSTILE_MODELS.entries()) {
        const bytes = model.bytes();
        const file = path.join(dir, `hostile-${i}.onnx`);
        writeFileSync(file, bytes);
        outcomes.push({ label: model.label, bytes: bytes.byteLength, ...(await runChild(file)) });
        rmSync(file);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const ms = (e?: EntryPoint) => (e ? `${e.ms.toFixed(0).padStart(6)} ms` : '     - ms');
    console.info(
      outcomes
        .map((o) => `${o.label.padEnd(50)} ${String(o.bytes).padStart(9)} B  check ${ms(o.check)}  compileModelFile ${ms(o.compileFile)}  serve ${ms(o.serve)}  peak RSS ${o.peakRssMB?.toFixed(0) ?? '?'} MB${o.failure ? `  ${o.failure}` : ''}`)
        .join('\n'),
    );
  }, HOSTILE_MODELS.length * CHILD_DEADLINE_MS);

  it.each(HOSTILE_MODELS.map((m, i) => [m.label, i] as const))('%s: refused with the limit named, in bounded memory', (_label, index) => {
    const o = outcomes[index];
    expect(o.failure).toBeUndefined();
    for (const entry of [o.check!, o.compileFile!, o.serve!]) {
      expect(entry.code).toBe(1);
      expect(entry.output).toMatch(HOSTILE_MODELS[index].problem);
      expect(entry.output).not.toMatch(/\n\s+at\s|node_modules|fits the Free plan/);
    }
    expect(o.peakRssMB).toBeLessThan(PROCESS_PEAK_RSS_LIMIT_MB);
  });
});
