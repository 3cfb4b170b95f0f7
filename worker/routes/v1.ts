/**
 * KServe V1 / TF Serving: `:predict`, the model's readiness at GET /v1/models/{name}, and the list
 * of models at GET /v1/models (this Worker serves one).
 */
import type { ModelLoader } from '../http/model';
import { configOfState } from '../http/types';
import { encodeV1Response, parseV1Request, type V1Request } from '../protocol/v1';
import { jsonAnswer } from '../protocol/answer';
import { parseJsonPart } from '../protocol/request-body';
import { badRequest } from '../protocol/request-error';
import type { Register } from './endpoint';
import { inferenceHandler, type InferenceProtocol } from './inference';
import { checkModelRoute, loadedModel } from './model-route';

const V1: InferenceProtocol<V1Request> = {
  parse(body, model, config) {
    if (body.binary) throw badRequest('V1 :predict takes JSON only; send binary tensors to the V2 endpoint /v2/models/{name}/infer');
    return parseV1Request(parseJsonPart(body), model, config.limits.maxTensorElements);
  },
  run: (request, model) => model.session.run(request.feeds),
  encode: (request, results, model, config) => jsonAnswer(encodeV1Response(request, results, model.outputs, config.version)),
};

export function v1Routes(endpoint: Register, loader: ModelLoader): void {
  const predict = inferenceHandler(loader, V1);
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
