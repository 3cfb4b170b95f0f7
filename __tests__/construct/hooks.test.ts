/**
 * The extension point in the real Workers runtime: a team's hooks module bundled at synth time
 * (lib/worker-bundle.ts) runs around inference in workerd (Miniflare), sees an extra binding, and
 * never runs for a caller the API key check refuses.
 */
import { createHash } from 'crypto';
import * as os from 'os';
import * as path from 'path';
import { Miniflare } from 'miniflare';
import { bundleWorkerWithHooks } from '../../lib/worker-bundle';
import { artifactOps } from '../../lib/kernel-selection';
import { workerModules } from '../worker/support/workerd';
import { compileModelFile } from '../../lib/model-compiler';
import { writeTinyModel } from './fixtures/tiny-model';

const KEY = 'me_hooks_test_key';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const config = (keys: string[]) => JSON.stringify({ name: 'tiny', version: 'v1', versions: ['v1'], auth: { keySha256: keys } });

let mf: Miniflare;
const post = async (worker: string, body: unknown, headers: Record<string, string> = {}) => {
  const w = await mf.getWorker(worker);
  const res = await w.fetch('https://edge.example.com/v2/models/tiny/infer', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as any };
};

beforeAll(async () => {
  const artifact = compileModelFile(writeTinyModel(path.join(os.tmpdir(), `model-edge-hooks-${process.pid}`))).artifact;
  const bundle = bundleWorkerWithHooks(path.join(__dirname, 'fixtures/edge-hooks.ts'), artifactOps(artifact));
  const worker = (name: string, keys: string[]) => ({
    name,
    compatibilityDate: '2026-04-01',
    modulesRoot: '/w',
    modules: workerModules(artifact, { root: '/w', code: bundle.modules }),
    bindings: { MODEL_CONFIG: config(keys), LABELS: JSON.stringify(['setosa', 'versicolor', 'virginica']) },
  });
  mf = new Miniflare({ workers: [worker('open', []), worker('locked', [sha256(KEY)])] });
  await mf.ready;
}, 60_000);
afterAll(async () => mf?.dispose());

describe('hooks in workerd', () => {
  it('turns the client body into a model request and the scores into labels from a binding', async () => {
    const res = await post('open', { features: [[5.1, 3.5, 1.4, 0.2], [0, 0, 0, 0]] });
    expect(res.status).toBe(200);
    expect(res.json.model).toBe('tiny');
    expect(res.json.labels).toHaveLength(2);
    for (const l of res.json.labels) expect(['setosa', 'versicolor', 'virginica']).toContain(l);
  });
  it('answers a hook\'s own 4xx error', async () => {
    expect(await post('open', { rows: [] })).toEqual({ status: 422, json: { error: 'send {"features": [[f1, f2, f3, f4], ...]}' } });
  });
  it('runs after the API key check: no key, no hook', async () => {
    expect((await post('locked', { rows: [] })).status).toBe(401);
    expect((await post('locked', { features: [[1, 2, 3, 4]] }, { authorization: `Bearer ${KEY}` })).status).toBe(200);
  });
  it('reads the body with the configured limit (413 beyond 4 MiB)', async () => {
    const big = { features: [Array(2_200_000).fill(1)] };
    expect((await post('open', big)).status).toBe(413);
  });
});
