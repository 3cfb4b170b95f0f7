/** The V1 / TF Serving `:predict` endpoint. */
import type { ModelConfig } from '../env';
import type { RequestState } from '../middleware/types';
import type { LoadedModel, ModelLoader } from '../middleware/model';
import { serverTiming } from '../middleware/edge-cache';
import { jsonResponse } from '../middleware/response-headers';
import { encodeV1Response, parseV1Request } from '../protocol/v1';
import type { Register } from './endpoint';
import { inferenceHandler } from './inference';

export function v1Routes(endpoint: Register, loader: ModelLoader): void {
  const predict = inferenceHandler(loader, predictV1);
  // `{name}:predict` is one path segment: the parameter keeps the verb, checkModelRoute strips it.
  for (const path of ['/v1/models/:nameVerb{[^/]+:predict}', '/v1/models/:name/versions/:versionVerb{[^/]+:predict}']) {
    endpoint(path, { POST: predict });
  }
}

function predictV1(state: RequestState, config: ModelConfig, model: LoadedModel): Response {
  const parseStart = performance.now();
  const request = parseV1Request(state.body, model, config.limits.maxTensorElements);
  const inferStart = performance.now();
  const results = model.session.run(request.feeds);
  const inferMs = performance.now() - inferStart;
  const response = encodeV1Response(request, results, model.outputs, config.version);
  const parseMs = state.parseMs + (inferStart - parseStart);
  return jsonResponse(state, response, 200, serverTiming(state, parseMs, inferMs));
}
