/**
 * Each model's OpenAPI document (GET /v2/models/{name}/openapi.json) is a valid OpenAPI 3.1
 * document (checked with ajv against the OpenAPI Initiative's schema, fixtures/openapi-3.1) and
 * describes the model's real interface: its own examples are accepted by the Worker, the Worker's
 * real answers validate against the document's response schemas, and a request with another
 * input's name does not validate against its request schema.
 */
import { createHash } from 'crypto';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { createApp } from '../../worker/app';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { compileModelFile } from '../../lib/model-compiler';
import { harness, modelConfigText, type ConfigOverrides } from './support/app-harness';
import { artifactBuffer } from './support/models';
import { openApiProblems } from './support/openapi-schema';

const KEY = 'test-key-123';
const KEY_SHA256 = createHash('sha256').update(KEY).digest('hex');

type Doc = Record<string, any>;

/** An ajv over one document's components, for its request and response schemas. */
function schemasOf(doc: Doc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema({ $id: 'doc.json', components: doc.components });
  return (name: string) => ajv.getSchema(`doc.json#/components/schemas/${name}`)!;
}

function exampleModel(name: 'digits' | 'iris') {
  const compiled = compileModelFile(path.join(__dirname, `../../models/${name}/model.onnx`));
  const app = createApp({ kernels: allKernels, artifact: artifactBuffer(compiled), log: () => undefined });
  return (p: string, init?: RequestInit, overrides: ConfigOverrides = {}) => Promise.resolve(app.request(p, init, { MODEL_CONFIG: modelConfigText(name, overrides) }));
}

describe('the OpenAPI document', () => {
  it.each(['multi', 'classifier'] as const)('of the %s test model is valid OpenAPI 3.1 and describes its inputs', async (model) => {
    const h = harness(model);
    const res = await h.request(`/v2/models/${model}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(openApiProblems(doc)).toEqual([]);
    const metadata = await (await h.request(`/v2/models/${model}`)).json();
    const described = Object.entries(doc.components.schemas)
      .filter(([k]) => k.startsWith('Input'))
      .map(([, s]: [string, any]) => ({ name: s.properties.name.const, datatype: s.properties.datatype.const }));
    expect(described).toEqual(metadata.inputs.map((i: any) => ({ name: i.name, datatype: i.datatype })));

    // The document's own examples are answered, and the answers fit its response schemas.
    const schema = schemasOf(doc);
    const infer = doc.paths[`/v2/models/${model}/infer`].post;
    const v2Example = infer.requestBody.content['application/json'].example;
    expect(schema('InferRequest')(v2Example)).toBe(true);
    const answer = await h.post(`/v2/models/${model}/infer`, v2Example);
    expect(answer.status).toBe(200);
    const validAnswer = schema('InferResponse');
    expect([validAnswer(await answer.json()), validAnswer.errors]).toEqual([true, null]);

    const v1Example = doc.paths[`/v1/models/${model}:predict`].post.requestBody.content['application/json'].example;
    const predicted = await h.post(`/v1/models/${model}:predict`, v1Example);
    expect(predicted.status).toBe(200);
    expect(schema('PredictResponse')(await predicted.json())).toBe(true);

    const error = await h.post(`/v2/models/${model}/infer`, { inputs: [] });
    expect(error.status).toBe(400);
    expect(schema('Error')(await error.json())).toBe(true);

    const renamed = { inputs: v2Example.inputs.map((i: any) => ({ ...i, name: `${i.name}_other` })) };
    expect(schema('InferRequest')(renamed)).toBe(false);
  });

  it('describes ZipMap outputs as FP32 [N, C] scores with their class labels', async () => {
    const doc = await (await harness('classifier').request('/v2/models/classifier/openapi.json')).json();
    const outputs = Object.entries(doc.components.schemas).filter(([k]) => k.startsWith('Output')).map(([, s]) => s as any);
    const scores = outputs.find((o) => o.properties.name.const === 'probabilities');
    expect(scores.properties.datatype.const).toBe('FP32');
    expect(scores.properties.parameters.properties.class_labels.const).toBe('["a","b"]');
  });

  it.each(['digits', 'iris'] as const)('of the %s example model is valid and its V1 example is answered', async (name) => {
    const request = exampleModel(name);
    const doc = (await (await request(`/v2/models/${name}/openapi.json`)).json()) as Doc;
    expect(openApiProblems(doc)).toEqual([]);
    const example = doc.paths[`/v1/models/${name}:predict`].post.requestBody.content['application/json'].example;
    const res = await request(`/v1/models/${name}:predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(example) });
    expect(res.status).toBe(200);
  });

  it('names the API-key schemes when keys are configured, and leaves health open', async () => {
    const keyed = harness('multi', { auth: { keySha256: [KEY_SHA256] } });
    expect((await keyed.request('/v2/models/multi/openapi.json')).status).toBe(401);
    const doc = await (await keyed.request('/v2/models/multi/openapi.json', { headers: { 'x-api-key': KEY } })).json();
    expect(openApiProblems(doc)).toEqual([]);
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['bearer', 'apiKey']);
    expect(doc.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
    expect(doc.paths['/v2/health/live'].get.security).toEqual([]);

    const open = await (await harness('multi').request('/v2/models/multi/openapi.json')).json();
    expect(open.components.securitySchemes).toBeUndefined();
    expect(open.security).toBeUndefined();
  });

  it('carries the request origin and path prefix as its server', async () => {
    const doc = await (await harness('multi', { pathPrefix: '/models/multi' }).request('https://api.example.com/models/multi/v2/models/multi/openapi.json')).json();
    expect(doc.servers).toEqual([{ url: 'https://api.example.com/models/multi' }]);
    expect(doc.paths['/v2/models/multi/infer']).toBeDefined();
  });
});
