/**
 * Hostile requests against the real Worker bundle in workerd (Miniflare): a seeded corpus of
 * malformed and adversarial requests (see support/hostile-corpus.ts). Every one must get a 4xx
 * `{"error": string}` in time, never a 5xx, and a valid request sent after each batch must still
 * be answered correctly. The Worker's own log lines must show no fault and no stack trace.
 *
 * HOSTILE_CORPUS=20000 npx jest __tests__/security/hostile-requests  runs a bigger corpus.
 */
import { createHash } from 'crypto';
import type { Miniflare } from 'miniflare';
import { startWorkers } from '../worker/support/workerd';
import { MULTI_REQUEST } from '../worker/support/app-harness';
import { BODY_LIMIT, hostileCorpus, INFER, MAX_TENSOR_ELEMENTS, type HostileRequest } from './support/hostile-corpus';
import { pool, problemWith, sendWithTimeout, type WorkerFetch } from './support/send';

const CORPUS_SIZE = Number(process.env.HOSTILE_CORPUS ?? 3000);
const BATCH = 250;
const CONCURRENCY = 16;
const REQUEST_TIMEOUT_MS = 20_000;
const KEY = 'me_hostile_test_key_0123456789';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

let mf: Miniflare;
let logs: string[];
let open: WorkerFetch;
let locked: WorkerFetch;

beforeAll(async () => {
  ({ mf, logs } = startWorkers([
    { name: 'open', model: 'multi', config: { limits: { maxBodyBytes: BODY_LIMIT, maxTensorElements: MAX_TENSOR_ELEMENTS } } },
    { name: 'locked', model: 'multi', config: { limits: { maxBodyBytes: BODY_LIMIT, maxTensorElements: MAX_TENSOR_ELEMENTS }, auth: { keySha256: [sha256(KEY)] } } },
  ]));
  await mf.ready;
  const asFetch = (w: Awaited<ReturnType<Miniflare['getWorker']>>): WorkerFetch => (url, init) => w.fetch(url, init as never) as never;
  open = asFetch(await mf.getWorker('open'));
  locked = asFetch(await mf.getWorker('locked'));
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
});

/** A valid request whose answer differs per batch (so the edge cache cannot answer it). */
function validRequest(batch: number) {
  const x = [batch, 1, 2];
  return {
    body: JSON.stringify({ ...MULTI_REQUEST, id: `valid-${batch}`, inputs: [{ ...MULTI_REQUEST.inputs[0], data: [x, [0, 0, 0]] }, ...MULTI_REQUEST.inputs.slice(1)] }),
    y: [x[0] + 2 * x[1] + 3 * x[2] + 0.5, 0.5],
  };
}

async function checkValid(fetch: WorkerFetch, batch: number, headers: Record<string, string> = {}): Promise<string | undefined> {
  const { body, y } = validRequest(batch);
  const res = await fetch(`https://edge.example.com${INFER}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  if (res.status !== 200) return `valid request after batch ${batch}: status ${res.status} ${text.slice(0, 200)}`;
  const json = JSON.parse(text);
  const out = json.outputs.find((o: { name: string }) => o.name === 'y');
  if (json.id !== `valid-${batch}` || JSON.stringify(out?.data) !== JSON.stringify(y)) return `valid request after batch ${batch}: wrong answer ${text.slice(0, 200)}`;
  return undefined;
}

describe('a hostile corpus against the bundle in workerd', () => {
  const corpus = hostileCorpus(CORPUS_SIZE);

  it(`answers all ${CORPUS_SIZE} requests with a 4xx JSON error, and valid requests after every batch`, async () => {
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let start = 0, batch = 0; start < corpus.length; start += BATCH, batch++) {
      const slice = corpus.slice(start, start + BATCH);
      await pool(slice, CONCURRENCY, async (req: HostileRequest) => {
        const answer = await sendWithTimeout(req.locked ? locked : open, req, REQUEST_TIMEOUT_MS);
        if (typeof answer === 'object' && !(answer instanceof Error)) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const problem = problemWith(req, answer);
        if (problem) failures.push(`${req.method} ${req.path.slice(0, 80)} [${req.label}]: ${problem}`);
      });
      for (const problem of [await checkValid(open, batch), await checkValid(locked, batch, { 'x-api-key': KEY })]) {
        if (problem) failures.push(problem);
      }
    }
    // A summary for the run log: the corpus size and what the Worker answered.
    console.info(`hostile corpus: ${corpus.length} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    expect(failures.slice(0, 25)).toEqual([]);
    expect(failures).toHaveLength(0);
  }, 60_000 + CORPUS_SIZE * 50);

  it('covers every kind of attack the corpus is meant to hold', () => {
    const labels = corpus.map((r) => r.label).join('\n');
    for (const kind of [/^element:/m, /^shape:/m, /^huge shape/m, /^datatype:/m, /^missing field/m, /^truncated at/m, /^nested arrays depth \d{5,}/m,
      /^literal 1e999/m, /^duplicate key/m, /^prototype keys/m, /^v1 /m, /^name /m, /^path \/v1/m, /^method /m, /^content type/m, /^body of \d+ bytes/m,
      /^streamed body/m, /KiB with a bad body/m, /^key in authorization/m, /^key in x-api-key/m, /^binary: header length/m,
      /^binary: binary_data_size/m, /^binary: tensor bytes cut/m, /^binary: \d+ bytes after/m, /^binary: BYTES length prefix/m,
      /^binary: BOOL byte/m, /^binary: binary body to V1/m, /^binary: binary body of \d+ bytes/m]) {
      expect(labels).toMatch(kind);
    }
  });

  it('logs one line per request with no fault and no stack trace', async () => {
    await new Promise((r) => setTimeout(r, 500)); // stdout arrives asynchronously
    const lines = logs.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = lines.filter((l) => l.message === 'request');
    expect(requests.length).toBeGreaterThan(CORPUS_SIZE * 0.9);
    expect(requests.filter((l) => (l.status as number) >= 500)).toEqual([]);
    expect(requests.filter((l) => 'stack' in l || 'error' in l)).toEqual([]);
    expect(logs.join('\n')).not.toContain(KEY);
    expect(logs.join('\n')).not.toMatch(/\n\s+at\s/);
  });
});
