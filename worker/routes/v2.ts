/** Open Inference Protocol (KServe V2) endpoints. */
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../middleware/types';
import type { LoadedModel } from '../middleware/model';
import { withModel } from '../middleware/model';
import { jsonBody } from '../middleware/json-body';
import { edgeCache, serverTiming } from '../middleware/edge-cache';
import { jsonResponse } from '../middleware/response-headers';
import { parseV2Request } from '../protocol/v2-request';
import { encodeV2Response, tensorMetadata } from '../protocol/v2-response';
import { SERVER_NAME, SERVER_VERSION } from '../protocol/server';
import { endpoint } from './endpoint';
import { modelRoute } from './model-route';

export function v2Routes(app: Hono<AppEnv>, loader: () => Promise<LoadedModel>): void {
  const model = withModel(loader);

  endpoint(app, '/v2/health/live', { GET: [async function live(c) { return c.json({ live: true }); }] });
  endpoint(app, '/v2/health/ready', {
    GET: [
      async function ready(c) {
        try {
          await loader();
        } catch (err) {
          c.set('fault', err);
          return c.json({ ready: false, error: 'the model failed to load; see the Worker logs' }, 503);
        }
        return c.json({ ready: true });
      },
    ],
  });
  endpoint(app, '/v2', {
    GET: [async function serverMetadata(c) { return c.json({ name: SERVER_NAME, version: SERVER_VERSION, extensions: [] }); }],
  });

  for (const base of ['/v2/models/:name', '/v2/models/:name/versions/:version']) {
    endpoint(app, base, { GET: [modelRoute(), model, metadata] });
    endpoint(app, `${base}/ready`, {
      GET: [modelRoute(), model, async function modelReady(c) { return c.json({ name: c.get('config').name, ready: true }); }],
    });
    endpoint(app, `${base}/infer`, { POST: [modelRoute(), jsonBody(), model, edgeCache(), infer] });
  }
}

async function metadata(c: Context<AppEnv>) {
  const config = c.get('config');
  const model = c.get('model');
  return c.json({
    name: config.name,
    versions: config.versions,
    platform: config.platform,
    inputs: model.inputs.map(tensorMetadata),
    outputs: model.outputs.map(tensorMetadata),
  });
}

async function infer(c: Context<AppEnv>) {
  const config = c.get('config');
  const model = c.get('model');
  const parseStart = performance.now();
  const request = parseV2Request(c.get('body'), model, config.limits.maxTensorElements);
  const inferStart = performance.now();
  const results = model.session.run(request.feeds, request.outputNames);
  const inferMs = performance.now() - inferStart;
  // Encode before any await: the session reuses its output buffers on the next run.
  const response = encodeV2Response(config.name, config.version, request.id, results, request.outputNames, model.outputs);
  const parseMs = c.get('parseMs') + (inferStart - parseStart);
  return jsonResponse(c, response, 200, { 'Server-Timing': serverTiming(c, parseMs, inferMs) });
}
