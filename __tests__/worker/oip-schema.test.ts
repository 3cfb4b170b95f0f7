/**
 * Every V2 answer of the real Worker bundle (in workerd, via Miniflare) is valid under the Open
 * Inference Protocol's own schemas: the REST YAML (fixtures/oip, with its license) is loaded and
 * its components.schemas checked with ajv. Covered: server and model metadata, readiness, JSON
 * inference (every datatype of the test models, requested outputs, a long id, ZipMap outputs),
 * binary inputs answered as JSON, and error answers.
 *
 * Answers with binary outputs are checked with `data` optional in response_output: the binary
 * tensor data extension replaces it with parameters.binary_data_size.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import type { Miniflare } from 'miniflare';
import { startWorkers } from './support/workerd';
import { MULTI_REQUEST } from './support/app-harness';
import { binaryRequest, MULTI_BINARY_INPUTS, readAnswer } from './support/binary-protocol';

const spec = parse(readFileSync(path.join(__dirname, 'fixtures/oip/open_inference_rest.yaml'), 'utf8')) as { components: { schemas: Record<string, Record<string, unknown>> } };
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ $id: 'oip.json', components: spec.components });
const schema = (name: string): ValidateFunction => ajv.getSchema(`oip.json#/components/schemas/${name}`)!;

// The same schemas with `data` optional in response_output, for answers with binary outputs.
const binarySchemas = structuredClone(spec.components);
(binarySchemas.schemas.response_output as { required: string[] }).required = ['name', 'shape', 'datatype'];
ajv.addSchema({ $id: 'oip-binary.json', components: binarySchemas });

let mf: Miniflare;
type Fetch = (p: string, init?: RequestInit) => Promise<Response>;
const fetchers: Record<string, Fetch> = {};

beforeAll(async () => {
  ({ mf } = startWorkers([
    { name: 'multi', model: 'multi' },
    { name: 'classifier', model: 'classifier' },
  ]));
  await mf.ready;
  for (const name of ['multi', 'classifier']) {
    const worker = await mf.getWorker(name);
    fetchers[name] = (p, init) => worker.fetch(`https://edge.example.com${p}`, init as never) as never;
  }
}, 60_000);
afterAll(async () => {
  await mf?.dispose();
});

function expectValid(validate: ValidateFunction, value: unknown): void {
  const ok = validate(value);
  expect(ok ? [] : validate.errors).toEqual([]);
}

const postJson = (worker: string, p: string, body: unknown) => fetchers[worker](p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('V2 answers against the OIP REST schema', () => {
  it('server metadata, model metadata and readiness', async () => {
    expectValid(schema('metadata_server_response'), await (await fetchers.multi('/v2')).json());
    for (const worker of ['multi', 'classifier']) {
      const meta = (await (await fetchers[worker](`/v2/models/${worker}`)).json()) as { platform: string };
      expectValid(schema('metadata_model_response'), meta);
      expect(meta.platform).toBe('onnx_onnxv1');
      expect(await (await fetchers[worker](`/v2/models/${worker}/ready`)).json()).toEqual({ name: worker, ready: true });
    }
  });

  const inferences: Array<[string, string, () => Promise<Response>]> = [
    ['every datatype as JSON', 'multi', () => postJson('multi', '/v2/models/multi/infer', MULTI_REQUEST)],
    ['requested outputs and a 1000-character id', 'multi', () => postJson('multi', '/v2/models/multi/infer', { ...MULTI_REQUEST, id: 'x'.repeat(1000), outputs: [{ name: 'ids_out' }, { name: 'y' }] })],
    ['ZipMap outputs', 'classifier', () => postJson('classifier', '/v2/models/classifier/infer', { inputs: [{ name: 'x', shape: [2, 2], datatype: 'FP32', data: [1, 0, 0, 1] }] })],
    ['binary inputs answered as JSON', 'multi', () => { const r = binaryRequest(MULTI_BINARY_INPUTS); return fetchers.multi('/v2/models/multi/infer', { method: 'POST', body: r.body, headers: r.headers }); }],
  ];
  it.each(inferences)('inference: %s', async (_label, _worker, send) => {
    const res = await send();
    expect(res.status).toBe(200);
    expectValid(schema('inference_response'), await res.json());
  });

  it('inference with binary outputs: the JSON header (data replaced by binary_data_size)', async () => {
    const r = binaryRequest(MULTI_BINARY_INPUTS, { parameters: { binary_data_output: true } });
    const { json } = await readAnswer(await fetchers.multi('/v2/models/multi/infer', { method: 'POST', body: r.body, headers: r.headers }));
    expectValid(ajv.getSchema('oip-binary.json#/components/schemas/inference_response')!, json);
    expect(schema('inference_response')(json)).toBe(false); // the unmodified schema requires data
  });

  it('errors', async () => {
    expectValid(schema('inference_error_response'), await (await postJson('multi', '/v2/models/multi/infer', { inputs: [] })).json());
    expectValid(schema('metadata_model_error_response'), await (await fetchers.multi('/v2/models/nope')).json());
  });
});
