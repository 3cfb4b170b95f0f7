/** Open Inference Protocol (KServe V2) endpoints. */
import type { Context, Hono } from 'hono';
import type { ModelConfig } from '../env';
import { configOfState, stateOf, type AppEnv, type RequestState } from '../middleware/types';
import type { LoadedModel, ModelLoader } from '../middleware/model';
import { withModel } from '../middleware/model';
import { serverTiming } from '../middleware/edge-cache';
import { jsonResponse } from '../middleware/response-headers';
import { parseV2Request } from '../protocol/v2-request';
import { encodeV2Response, tensorMetadata } from '../protocol/v2-response';
import { SERVER_NAME, SERVER_VERSION } from '../protocol/server';
import { endpoint } from './endpoint';
import { modelRoute } from './model-route';
import { inferenceHandler } from './inference';

export function v2Routes(app: Hono<AppEnv>, loader: ModelLoader): void {
  const model = withModel(loader);

  endpoint(app, '/v2/health/live', { GET: [async function live(c) { return c.json({ live: true }); }] });
  endpoint(app, '/v2/health/ready', {
    GET: [
      async function ready(c) {
        try {
          await loader();
        } catch (err) {
          stateOf(c).fault = err;
          return c.json({ ready: false, error: 'the model failed to load; see the Worker logs' }, 503);
        }
        return c.json({ ready: true });
      },
    ],
  });
  endpoint(app, '/v2', {
    GET: [async function serverMetadata(c) { return c.json({ name: SERVER_NAME, version: SERVER_VERSION, extensions: [] }); }],
  });

  const infer = inferenceHandler(loader, inferV2);
  for (const base of ['/v2/models/:name', '/v2/models/:name/versions/:version']) {
    endpoint(app, base, { GET: [modelRoute(), model, metadata] });
    endpoint(app, `${base}/ready`, {
      GET: [modelRoute(), model, async function modelReady(c) { return c.json({ name: configOfState(stateOf(c)).name, ready: true }); }],
    });
    endpoint(app, `${base}/infer`, { POST: [infer] });
  }
}

async function metadata(c: Context<AppEnv>) {
  const state = stateOf(c);
  const config = configOfState(state);
  const model = state.model as LoadedModel;
  return c.json({
    name: config.name,
    versions: config.versions,
    platform: config.platform,
    inputs: model.inputs.map(tensorMetadata),
    outputs: model.outputs.map(tensorMetadata),
  });
}

function inferV2(state: RequestState, config: ModelConfig, model: LoadedModel): Response {
  const parseStart = performance.now();
  const request = parseV2Request(state.body, model, config.limits.maxTensorElements);
  const inferStart = performance.now();
  const results = model.session.run(request.feeds, request.outputNames);
  const inferMs = performance.now() - inferStart;
  // Encode before any await: the session reuses its output buffers on the next run.
  const response = encodeV2Response(config.name, config.version, request.id, results, request.outputNames, model.outputs);
  const parseMs = state.parseMs + (inferStart - parseStart);
  return jsonResponse(state, response, 200, serverTiming(state, parseMs, inferMs));
}
