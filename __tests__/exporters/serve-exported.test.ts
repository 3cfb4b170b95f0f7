/**
 * Exported scikit-learn models behind `model-edge serve` (a real workerd): KNN (pairwise
 * distances through Scan), Gaussian-process regression and text pipelines fed raw strings
 * (BYTES, through the Tokenizer) answer V2 inference requests with scikit-learn's predictions.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { serveModels } from '../../lib/cli/serve';
import type { LocalServer } from '../../lib/local/local-server';
import { Tensor, type DType } from '../../worker/runtime/tensor';
import { FIXTURE_ROOT, exporterFixtures, expectMatchesFramework } from './fixtures';

const SERVED = [
  'neighbors/knn-classifier', 'neighbors/knn-regressor', 'gaussian-process/gpr-rbf-float64', 'gaussian-process/gpr-rbf-float32',
  'text/count-vectorizer-multinomial-nb', 'text/tfidf-vectorizer-logistic', 'text/tfidf-bigrams-logistic', 'ensembles/voting-soft-with-knn',
];
const fixtures = exporterFixtures().filter((f) => SERVED.includes(`${f.family}/${f.name}`));

const V2_DATATYPE: Partial<Record<DType, string>> = { float32: 'FP32', float64: 'FP64', int64: 'INT64', string: 'BYTES' };
const DTYPE_OF: Record<string, DType> = { FP32: 'float32', FP64: 'float64', INT64: 'int64', BYTES: 'string', INT32: 'int32' };

let dir: string;
let server: LocalServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-exported-'));
  for (const f of fixtures) copyFileSync(path.join(FIXTURE_ROOT, f.family, `${f.name}.onnx`), path.join(dir, `${f.name}.onnx`));
  server = await serveModels([dir], { port: 0, print: () => undefined });
});
afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('serves every chosen fixture', () => {
  expect(fixtures.map((f) => `${f.family}/${f.name}`).sort()).toEqual([...SERVED].sort());
});

describe('V2 inference on exported models matches scikit-learn', () => {
  for (const f of fixtures) {
    it(`${f.family}/${f.name}`, async () => {
      const inputs = Object.entries(f.inputs).map(([name, t]) => ({
        name, shape: t.shape, datatype: V2_DATATYPE[t.dtype], data: Array.from(t.data as ArrayLike<number | string>),
      }));
      const res = await fetch(`${server.url}/v2/models/${f.name}/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inputs }),
      });
      const body = (await res.json()) as { outputs?: Array<{ name: string; datatype: string; shape: number[]; data: unknown[] }> };
      if (res.status !== 200) throw new Error(`${f.name}: HTTP ${res.status}: ${JSON.stringify(body)}`);
      for (const [name, expected] of Object.entries(f.expected)) {
        const out = body.outputs?.find((o) => o.name === name);
        if (!out) throw new Error(`${f.name}: the response has no output "${name}"`);
        const dtype = DTYPE_OF[out.datatype];
        const data = dtype === 'int64' ? out.data.map((v) => BigInt(v as number)) : (out.data as Array<number | string>);
        expectMatchesFramework(`${f.name} output "${name}"`, Tensor.from(dtype, out.shape, data), expected, f.tolerance);
      }
    });
  }
});
