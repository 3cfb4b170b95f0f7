/**
 * `model-edge serve` places weights as the construct does: a model folder's deployment.json
 * `weights` settings apply (so `serve models/<name>` matches the deployment), and the CLI's
 * --weights / --precision override them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { serveModels, type ServeOptions } from '../../lib/cli/serve';
import { seededMlp } from '../../bench/lib/seeded-mlp';

const dir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-serve-weights-'));
const folder = path.join(dir, 'small');
mkdirSync(folder);
writeFileSync(path.join(folder, 'model.onnx'), seededMlp({ weightBytes: 200_000, inputs: 16 }).onnx);
writeFileSync(path.join(folder, 'deployment.json'), JSON.stringify({ weights: { storage: 'assets', precision: 'int8' } }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function serveAndInfer(weights?: ServeOptions['weights']): Promise<string> {
  const printed: string[] = [];
  const server = await serveModels([folder], { port: 0, log: 'off', print: (l) => printed.push(l), weights });
  try {
    const res = await fetch(`${server.url}/v2/models/small/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ name: 'X', shape: [1, 16], datatype: 'FP32', data: new Array(16).fill(0.25) }] }),
    });
    expect(res.status).toBe(200);
  } finally {
    await server.close();
  }
  return printed.join('\n');
}

it("follows the folder's deployment.json weights settings", async () => {
  const text = await serveAndInfer();
  expect(text).toMatch(/int8 weights: 3 tensors; vs float32 max abs diff/);
  expect(text).toMatch(/weights: 1 shard served through the MODEL_WEIGHTS binding/);
}, 60_000);

it('lets the command line override them', async () => {
  const text = await serveAndInfer({ storage: 'script', precision: 'float32' });
  expect(text).not.toMatch(/int8|MODEL_WEIGHTS/);
}, 60_000);
