/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * models/digits-large, served as deployed: `model-edge serve` moves its 22 MB of weights into
 * shards read through the MODEL_WEIGHTS binding of the local workerd; the held-out accuracy stated
 * in its README holds over HTTP and the probabilities match onnxruntime's.
 *
 * The model is not committed (22 MB): `npm run models` makes it, and so does this suite when it is
 * missing (about half a minute), exactly as `npm run models` would.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveModels } from '../../lib/cli/serve';
import type { LocalServer } from '../../lib/local/local-server';
import { digitsSplit, PIXELS } from '../../models/digits/data';
import { trainDigitsLarge } from '../../models/digits-large/train';
import { Tensor } from '../../worker/runtime/tensor';
import { runOrt } from '../support/ort-oracle';

const FOLDER = join(__dirname, '../../models/digits-large');
const MODEL = join(FOLDER, 'model.onnx');
const BATCH = 64;
jest.setTimeout(300_000);

describe('models/digits-large', () => {
  let server: LocalServer;
  const printed: string[] = [];
  const { test } = digitsSplit();
  beforeAll(async () => {
    if (!existsSync(MODEL)) writeFileSync(MODEL, trainDigitsLarge().model);
    server = await serveModels([FOLDER], { port: 0, log: 'off', print: (l) => printed.push(l) });
  });
  afterAll(async () => server?.close());

  const rows = (start: number) => {
    const chunk = test.x.slice(start, start + BATCH);
    const x = new Float32Array(chunk.length * PIXELS);
    chunk.forEach((r, i) => x.set(r, i * PIXELS));
    return x;
  };
  const infer = async (x: Float32Array) => {
    const res = await fetch(`${server.url}/v2/models/digits-large/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ name: 'input', shape: [x.length / PIXELS, PIXELS], datatype: 'FP32', data: Array.from(x) }] }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { outputs: Array<{ name: string; data: number[] }> }).outputs;
  };

  it('serves its weights as static assets', () => {
    expect(printed.join('\n')).toMatch(/weights: 1 shard served through the MODEL_WEIGHTS binding/);
  });

  it('answers as onnxruntime does', async () => {
    const x = rows(0);
    const ours = (await infer(x)).find((o) => o.name === 'probabilities')!.data;
    const ort = (await runOrt(readFileSync(MODEL), { input: new Tensor('float32', [x.length / PIXELS, PIXELS], x) })).probabilities as { data: ArrayLike<number> };
    ours.forEach((p, i) => expect(Math.abs(p - Number(ort.data[i]))).toBeLessThan(1e-4));
  });

  it('has the held-out accuracy its README states', async () => {
    const stated = Number(/Held-out accuracy: \*\*([\d.]+)%\*\*/.exec(readFileSync(join(FOLDER, 'README.md'), 'utf8'))![1]) / 100;
    let correct = 0;
    for (let start = 0; start < test.x.length; start += BATCH) {
      const labels = (await infer(rows(start))).find((o) => o.name === 'label')!.data;
      labels.forEach((l, i) => {
        if (Number(l) === test.y[start + i]) correct++;
      });
    }
    expect(correct / test.x.length).toBeCloseTo(stated, 4);
  });
});
