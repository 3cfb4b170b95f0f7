/**
 * KServe V1 / TF Serving: `:predict`, the model's readiness at GET /v1/models/{name}, and the list
 * of models at GET /v1/models (this Worker serves one).
 */
import type { ModelLoader } from '../http/model';
import { configOfState } from '../http/types';
import { v1Inference } from '../protocol/v1-inference';
import type { Register } from './endpoint';
import { inferenceHandler } from './inference';
import { checkModelRoute, loadedModel } from './model-route';

export function v1Routes(endpoint: Register, loader: ModelLoader): void {
  const predict = inferenceHandler(loader, v1Inference);
  // `{name}:predict` is one path segment: the parameter keeps the verb, checkModelRoute strips it.
  for (const path of ['/v1/models/:nameVerb{[^/]+:predict}', '/v1/models/:name/versions/:versionVerb{[^/]+:predict}']) {
    endpoint(path, { POST: predict });
  }
  endpoint('/v1/models', { GET: (c, state) => c.json({ models: [configOfState(state).name] }) });
  endpoint('/v1/models/:name{[^/:]+}', {
    GET: async function modelReady(c, state) {
      const config = configOfState(state);
      checkModelRoute(c, config);
      await loadedModel(loader, state);
      return c.json({ name: config.name, ready: true });
    },
  });
}
