/**
 * The Workers the in-workerd benchmarks compare start in workerd and give the same answers:
 * onnxruntime-web inside a Worker (its .wasm uploaded as a module), the bare handler (JSON and
 * binary requests) and the model-edge Worker, on the tiny model.
 */
import { answersDiff, post, smallServedModels, startVariant } from '../../bench/lib/in-workerd';
import type { StartedWorker } from '../../bench/lib/module-worker';
import { bareWorker, modelEdgeWorker, ortWebWorker, type WorkerVariant } from '../../bench/lib/worker-variants';

const tiny = smallServedModels().find((m) => m.name === 'tiny')!;
const json = tiny.bodies.find((b) => b.kind === 'json')!;
const binary = tiny.bodies.find((b) => b.kind === 'binary')!;

async function withWorker<T>(v: WorkerVariant, f: (url: string) => Promise<T>): Promise<T> {
  const w: StartedWorker = await startVariant(v);
  try {
    return await f(`${w.url}${v.inferPath}`);
  } finally {
    await w.close();
  }
}

it('runs onnxruntime-web inside a Worker in workerd with the same answer as the model-edge Worker', async () => {
  const ours = await withWorker(modelEdgeWorker('tiny', tiny.onnx), (url) => post(url, json, 'model-edge'));
  const theirs = await withWorker(ortWebWorker(tiny.onnx), (url) => post(url, json, 'ort-web'));
  expect(answersDiff(ours, theirs)).toBeLessThan(1e-6);
}, 60_000);

it('answers binary requests from the bare handler with the model-edge Worker\'s bytes', async () => {
  const [ours, bare] = [
    await withWorker(modelEdgeWorker('tiny', tiny.onnx), (url) => post(url, binary, 'model-edge')),
    await withWorker(bareWorker('tiny', tiny.onnx), (url) => post(url, binary, 'bare')),
  ];
  expect(bare.length).toBeGreaterThan(12);
  expect(bare.subarray(bare.length - 12)).toEqual(ours.subarray(ours.length - 12)); // three float32 probabilities
}, 60_000);
