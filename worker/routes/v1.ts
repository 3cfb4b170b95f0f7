/** The V1 / TF Serving `:predict` endpoint. */
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../middleware/types';
import type { LoadedModel } from '../middleware/model';
import { withModel } from '../middleware/model';
import { jsonBody } from '../middleware/json-body';
import { edgeCache, serverTiming } from '../middleware/edge-cache';
import { jsonResponse } from '../middleware/response-headers';
import { encodeV1Response, parseV1Request } from '../protocol/v1';
import { endpoint } from './endpoint';
import { modelRoute } from './model-route';

export function v1Routes(app: Hono<AppEnv>, loader: () => Promise<LoadedModel>): void {
  const model = withModel(loader);
  // `{name}:predict` is one path segment: the parameter keeps the verb, modelRoute strips it.
  for (const path of ['/v1/models/:nameVerb{[^/]+:predict}', '/v1/models/:name/versions/:versionVerb{[^/]+:predict}']) {
    endpoint(app, path, { POST: [modelRoute(), jsonBody(), model, edgeCache(), predict] });
  }
}

async function predict(c: Context<AppEnv>) {
  const config = c.get('config');
  const model = c.get('model');
  const parseStart = performance.now();
  const request = parseV1Request(c.get('body'), model, config.limits.maxTensorElements);
  const inferStart = performance.now();
  const results = model.session.run(request.feeds);
  const inferMs = performance.now() - inferStart;
  const response = encodeV1Response(request, results, model.outputs, config.version);
  const parseMs = c.get('parseMs') + (inferStart - parseStart);
  return jsonResponse(c, response, 200, { 'Server-Timing': serverTiming(c, parseMs, inferMs) });
}
