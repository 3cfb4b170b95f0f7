/** Open Inference Protocol (KServe V2) endpoints. */
import type { ModelConfig } from '../env';
import { configOfState, type AppContext, type RequestState } from '../middleware/types';
import type { LoadedModel, ModelLoader } from '../middleware/model';
import { serverTiming } from '../middleware/edge-cache';
import { jsonResponse } from '../middleware/response-headers';
import { parseV2Request } from '../protocol/v2-request';
import { encodeV2Response, tensorMetadata } from '../protocol/v2-response';
import { SERVER_NAME, SERVER_VERSION } from '../protocol/server';
import type { Register } from './endpoint';
import { checkModelRoute } from './model-route';
import { inferenceHandler } from './inference';

export function v2Routes(endpoint: Register, loader: ModelLoader): void {
  endpoint('/v2/health/live', { GET: function live(c) { return c.json({ live: true }); } });
  endpoint('/v2/health/ready', {
    GET: async function ready(c, state) {
      try {
        await loader();
      } catch (err) {
        state.fault = err;
        return c.json({ ready: false, error: 'the model failed to load; see the Worker logs' }, 503);
      }
      return c.json({ ready: true });
    },
  });
  endpoint('/v2', {
    GET: function serverMetadata(c) { return c.json({ name: SERVER_NAME, version: SERVER_VERSION, extensions: [] }); },
  });

  const infer = inferenceHandler(loader, inferV2);
  for (const base of ['/v2/models/:name', '/v2/models/:name/versions/:version']) {
    endpoint(base, {
      GET: async function metadata(c, state) {
        const config = configOfState(state);
        checkModelRoute(c, config);
        const model = await loadedModel(loader, state);
        return c.json({
          name: config.name,
          versions: config.versions,
          platform: config.platform,
          inputs: model.inputs.map(tensorMetadata),
          outputs: model.outputs.map(tensorMetadata),
        });
      },
    });
    endpoint(`${base}/ready`, {
      GET: async function modelReady(c: AppContext, state) {
        const config = configOfState(state);
        checkModelRoute(c, config);
        await loadedModel(loader, state);
        return c.json({ name: config.name, ready: true });
      },
    });
    endpoint(`${base}/infer`, { POST: infer });
  }
}

async function loadedModel(loader: ModelLoader, state: RequestState): Promise<LoadedModel> {
  const model = loader.loaded() ?? (await loader());
  state.model = model;
  return model;
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
