/** KServe V1 / TF Serving `:predict`: JSON only. */
import { jsonAnswer } from './answer';
import type { InferenceProtocol } from './inference-protocol';
import { parseJsonPart } from './request-body';
import { badRequest } from './request-error';
import { encodeV1Response, parseV1Request, type V1Request } from './v1';

export const v1Inference: InferenceProtocol<V1Request> = {
  parse(body, model, config) {
    if (body.binary) throw badRequest('V1 :predict takes JSON only; send binary tensors to the V2 endpoint /v2/models/{name}/infer');
    return parseV1Request(parseJsonPart(body), model, config.limits.maxTensorElements);
  },
  run: (request, model) => model.session.run(request.feeds),
  encode: (request, results, model, config) => jsonAnswer(encodeV1Response(request, results, model.outputs, config.version)),
};
