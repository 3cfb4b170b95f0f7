/**
 * The OpenAPI 3.1 document of one model's API, built from the model's interface as its metadata
 * route reports it (names, datatypes, shapes, ZipMap class labels): the V2 infer request and
 * response in JSON and in the binary tensor form, the V1 `:predict` form with an example, the
 * metadata, readiness, health and listing routes, the error object, and the API-key scheme when
 * keys are configured.
 *
 * A pure function of its input, shared by the Worker (which answers it at
 * /v2/models/{name}/openapi.json from the loaded artifact) and the construct (which writes it
 * beside the stack at synth): both describe the same artifact, so they cannot disagree.
 */
import type { TensorMetadataJson } from '../protocol/v2-response';

export interface ModelInterface {
  readonly name: string;
  /** This version's label and every label of the deployment (the first is this one). */
  readonly version: string;
  readonly versions: readonly string[];
  readonly inputs: readonly TensorMetadataJson[];
  readonly outputs: readonly TensorMetadataJson[];
  /** API keys are required (an empty key list that is required still refuses everyone). */
  readonly keys: boolean;
  /** Whether the playground page is served. */
  readonly playground: boolean;
  /** Base URLs of the API, e.g. `https://api.example.com/models/digits`. */
  readonly servers?: readonly string[];
}

type Json = Record<string, unknown>;

const ref = (kind: string, name: string): Json => ({ $ref: `#/components/${kind}/${name}` });
const json = (schema: Json, example?: unknown): Json => ({ 'application/json': { schema, ...(example !== undefined ? { example } : {}) } });
const ok = (description: string, schema: Json): Json => ({ description, content: json(schema) });

/** A JSON element of one datatype (JSON has no NaN: float answers carry null for it). */
function elementSchema(datatype: string, answer: boolean): Json {
  if (datatype === 'BYTES') return { type: 'string' };
  if (datatype === 'BOOL') return { type: 'boolean' };
  if (datatype.startsWith('FP')) return answer ? { type: ['number', 'null'] } : { type: 'number' };
  return { type: 'integer' };
}

/** Shape items: fixed dimensions as constants, -1 (variable) as any count. */
function shapeSchema(shape: readonly number[]): Json {
  if (shape.length === 1 && shape[0] === -1) return { type: 'array', items: { type: 'integer', minimum: 0 } };
  return {
    type: 'array',
    prefixItems: shape.map((d) => (d >= 0 ? { const: d } : { type: 'integer', minimum: 0 })),
    minItems: shape.length,
    maxItems: shape.length,
  };
}

function tensorSchema(t: TensorMetadataJson, answer: boolean): Json {
  const labels = t.parameters?.class_labels;
  const parameters: Json = answer
    ? { binary_data_size: { type: 'integer', minimum: 0 }, ...(labels !== undefined ? { class_labels: { const: labels } } : {}) }
    : { binary_data_size: { type: 'integer', minimum: 0, description: 'the tensor is sent as this many bytes after the JSON header instead of `data`' } };
  const element = elementSchema(t.datatype, answer);
  return {
    type: 'object',
    title: t.name,
    ...(labels !== undefined ? { description: `scores over the class labels ${labels}, one row per example` } : {}),
    required: ['name', 'datatype', 'shape'],
    properties: {
      name: { const: t.name },
      datatype: { const: t.datatype },
      shape: shapeSchema(t.shape),
      parameters: { type: 'object', properties: parameters },
      // Requests may nest the data by shape; answers are flat, row-major.
      data: { type: 'array', items: answer ? element : { anyOf: [element, { type: 'array' }] } },
    },
  };
}

/** Zeros of the right datatype; variable dimensions become 1. */
function exampleShape(t: TensorMetadataJson): number[] {
  return t.shape.map((d) => (d < 0 ? 1 : d));
}
function zero(datatype: string): string | boolean | number {
  return datatype === 'BYTES' ? '' : datatype === 'BOOL' ? false : 0;
}
function zeros(shape: readonly number[], datatype: string): unknown {
  if (shape.length === 0) return zero(datatype);
  return Array.from({ length: shape[0] }, () => zeros(shape.slice(1), datatype));
}

export function v2Example(inputs: readonly TensorMetadataJson[]): Json {
  return {
    inputs: inputs.map((t) => {
      const shape = exampleShape(t);
      const count = shape.reduce((a, b) => a * b, 1);
      return { name: t.name, shape, datatype: t.datatype, data: new Array(count).fill(zero(t.datatype)) };
    }),
  };
}

/** One instance (the value without its batch dimension); `{name: value}` with several inputs. */
export function v1Example(inputs: readonly TensorMetadataJson[]): Json {
  const row = (t: TensorMetadataJson) => zeros(exampleShape(t).slice(1), t.datatype);
  return { instances: [inputs.length === 1 ? row(inputs[0]) : Object.fromEntries(inputs.map((t) => [t.name, row(t)]))] };
}

export function openApiDocument(model: ModelInterface): Json {
  const { name, versions } = model;
  const schemas: Json = {
    Error: { type: 'object', required: ['error'], properties: { error: { type: 'string', description: 'what is wrong and how to fix it' } } },
    TensorMetadata: {
      type: 'object',
      required: ['name', 'datatype', 'shape'],
      properties: { name: { type: 'string' }, datatype: { type: 'string' }, shape: { type: 'array', items: { type: 'integer' } }, parameters: { type: 'object' } },
    },
    ModelMetadata: {
      type: 'object',
      required: ['name', 'platform', 'inputs', 'outputs'],
      properties: {
        name: { const: name },
        versions: { type: 'array', items: { enum: versions } },
        platform: { type: 'string' },
        inputs: { type: 'array', items: ref('schemas', 'TensorMetadata') },
        outputs: { type: 'array', items: ref('schemas', 'TensorMetadata') },
      },
    },
    Ready: { type: 'object', required: ['ready'], properties: { name: { const: name }, ready: { type: 'boolean' } } },
    InferRequest: {
      type: 'object',
      required: ['inputs'],
      properties: {
        id: { type: 'string' },
        parameters: { type: 'object', properties: { binary_data_output: { type: 'boolean', description: 'answer every output as binary data after the JSON header' } } },
        inputs: { type: 'array', minItems: model.inputs.length, maxItems: model.inputs.length, items: { oneOf: model.inputs.map((_, i) => ref('schemas', `Input${i}`)) } },
        outputs: {
          type: 'array',
          description: 'the outputs to answer (all when omitted)',
          items: {
            type: 'object',
            required: ['name'],
            properties: { name: { enum: model.outputs.map((o) => o.name) }, parameters: { type: 'object', properties: { binary_data: { type: 'boolean' } } } },
          },
        },
      },
    },
    InferResponse: {
      type: 'object',
      required: ['model_name', 'outputs'],
      properties: {
        model_name: { const: name },
        model_version: { enum: versions },
        id: { type: 'string' },
        outputs: { type: 'array', items: { oneOf: model.outputs.map((_, i) => ref('schemas', `Output${i}`)) } },
      },
    },
    PredictRequest: {
      type: 'object',
      description: '`instances`: one row per example (the value without its batch dimension; `{input: value}` with several inputs); or `inputs`: whole tensors',
      oneOf: [
        { required: ['instances'], properties: { instances: { type: 'array', minItems: 1 } } },
        { required: ['inputs'], properties: { inputs: {} } },
      ],
    },
    PredictResponse: {
      type: 'object',
      oneOf: [{ required: ['predictions'], properties: { predictions: { type: 'array' } } }, { required: ['outputs'], properties: { outputs: {} } }],
    },
  };
  model.inputs.forEach((t, i) => (schemas[`Input${i}`] = tensorSchema(t, false)));
  model.outputs.forEach((t, i) => (schemas[`Output${i}`] = tensorSchema(t, true)));

  const headerLength = { description: 'length of the JSON header; the binary tensors follow it', schema: { type: 'integer', minimum: 0 } };
  const binaryBody = {
    schema: {
      type: 'string',
      contentMediaType: 'application/octet-stream',
      description: 'the InferRequest JSON (inputs carry parameters.binary_data_size instead of data) followed by the tensors\' bytes, little-endian, in input order',
    },
  };
  const errors = { '4XX': ref('responses', 'Error'), '5XX': ref('responses', 'Error') };
  const open = { security: [] as unknown[] };
  const versionParameter = { name: 'version', in: 'path', required: true, schema: { enum: versions } };
  const paths: Json = {};
  const both = (path: string, versionedPath: string, operation: Json) => {
    paths[path] = operation;
    const [method] = Object.keys(operation);
    const op = operation[method] as Json;
    paths[versionedPath] = { [method]: { ...op, operationId: `${String(op.operationId)}Version`, parameters: [...((op.parameters as unknown[] | undefined) ?? []), versionParameter] } };
  };
  const m = `/v2/models/${name}`;
  both(`${m}/infer`, `${m}/versions/{version}/infer`, {
    post: {
      operationId: 'infer',
      summary: `Run ${name} (Open Inference Protocol)`,
      requestBody: {
        required: true,
        content: { ...json(ref('schemas', 'InferRequest'), v2Example(model.inputs)), 'application/octet-stream': binaryBody },
      },
      parameters: [{ name: 'Inference-Header-Content-Length', in: 'header', required: false, ...headerLength }],
      responses: {
        200: {
          description: 'the outputs; binary outputs (binary_data_output) follow the JSON header',
          headers: { 'Inference-Header-Content-Length': { ...headerLength, description: 'present when outputs are binary: the JSON header\'s length' } },
          content: { ...json(ref('schemas', 'InferResponse')), 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } },
        },
        ...errors,
      },
    },
  });
  both(`/v1/models/${name}:predict`, `/v1/models/${name}/versions/{version}:predict`, {
    post: {
      operationId: 'predict',
      summary: `Run ${name} (KServe V1 / TF Serving)`,
      requestBody: { required: true, content: json(ref('schemas', 'PredictRequest'), v1Example(model.inputs)) },
      responses: { 200: ok('`predictions` for `instances`, `outputs` for `inputs`', ref('schemas', 'PredictResponse')), ...errors },
    },
  });
  both(m, `${m}/versions/{version}`, { get: { operationId: 'metadata', summary: 'Model metadata', responses: { 200: ok('inputs and outputs', ref('schemas', 'ModelMetadata')), ...errors } } });
  both(`${m}/ready`, `${m}/versions/{version}/ready`, { get: { operationId: 'modelReady', summary: 'Model readiness', responses: { 200: ok('loaded', ref('schemas', 'Ready')), ...errors } } });
  paths[`${m}/openapi.json`] = { get: { operationId: 'openapi', summary: 'This document', responses: { 200: ok('OpenAPI 3.1', { type: 'object' }), ...errors } } };
  if (model.playground) {
    paths[`${m}/playground`] = { get: { operationId: 'playground', summary: 'A page to try the model in a browser', ...open, responses: { 200: { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } } } };
  }
  paths[`/v1/models/${name}`] = { get: { operationId: 'v1ModelReady', summary: 'Model readiness (V1)', responses: { 200: ok('loaded', ref('schemas', 'Ready')), ...errors } } };
  const list = { type: 'object', required: ['models'], properties: { models: { type: 'array', items: { type: 'string' } } } };
  paths['/v2/models'] = { get: { operationId: 'models', summary: 'The models served', responses: { 200: ok('names', list), ...errors } } };
  paths['/v1/models'] = { get: { operationId: 'v1Models', summary: 'The models served (V1)', responses: { 200: ok('names', list), ...errors } } };
  paths['/v2'] = { get: { operationId: 'server', summary: 'Server metadata', responses: { 200: ok('name, version, extensions', { type: 'object', required: ['name', 'version', 'extensions'] }), ...errors } } };
  paths['/v2/health/live'] = { get: { operationId: 'live', summary: 'Liveness', ...open, responses: { 200: ok('alive', { type: 'object', properties: { live: { const: true } } }) } } };
  paths['/v2/health/ready'] = { get: { operationId: 'ready', summary: 'Readiness', ...open, responses: { 200: ok('ready', { type: 'object', properties: { ready: { type: 'boolean' } } }), ...errors } } };
  paths['/'] = {
    get: {
      operationId: 'index',
      summary: model.playground ? 'The models and their links as JSON; the playground page when the client prefers text/html' : 'The models and their links',
      responses: {
        200: {
          description: 'alive',
          content: {
            ...json({ type: 'object', required: ['status', 'models'], properties: { status: { const: 'alive' }, models: { type: 'array' } } }),
            ...(model.playground ? { 'text/html': { schema: { type: 'string' } } } : {}),
          },
        },
        ...errors,
      },
    },
  };

  const keyed = model.keys
    ? {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <key>' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      }
    : {};
  return {
    openapi: '3.1.0',
    info: { title: `${name} model API`, version: model.version, description: `The ${name} model served by model-edge (version ${model.version}).` },
    ...(model.servers && model.servers.length > 0 ? { servers: model.servers.map((url) => ({ url })) } : {}),
    ...(model.keys ? { security: [{ bearer: [] }, { apiKey: [] }] } : {}),
    paths,
    components: { schemas, responses: { Error: { description: 'the error, with what to fix', content: json(ref('schemas', 'Error')) } }, ...keyed },
  };
}
