/**
 * Faulty models at synth time (support/faulty-models.ts): each must fail with a clear
 * ModelCompileError naming the problem, within a bounded time (a hang is cut off after
 * CASE_DEADLINE_MS) and bounded memory (peak RSS growth and heap retained after GC), produce no
 * artifact, and leave the process able to compile a good model afterwards.
 * Complements __tests__/compiler/compile-errors.test.ts, which covers other damaged files.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { compileModel } from '../../lib/model-compiler';
import { ModelEdgeDeployment } from '../../lib/model-edge-deployment';
import { newStack, validConfig } from '../construct/fixtures/stacks';
import { FAULTY_MODELS, reluAddModel } from './support/faulty-models';

const CASE_DEADLINE_MS = 20_000;
const PEAK_RSS_LIMIT_MB = 256;
const RETAINED_HEAP_LIMIT_MB = 8;

interface Outcome {
  index: number;
  label: string;
  kind: 'compile-error' | 'compiled' | 'other-error' | 'timeout' | 'worker-died';
  message?: string;
  problems?: string[];
  ms: number;
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
      .map((o) => `${o.label.padEnd(52)} ${o.kind.padEnd(13)} ${o.ms.toFixed(0).padStart(6)} ms  peak RSS +${o.peakRssDeltaMB.toFixed(1)} MB  retained heap ${o.retainedHeapMB.toFixed(2)} MB${o.kind === 'other-error' ? `  ${o.message?.slice(0, 120)}` : ''}`)
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
