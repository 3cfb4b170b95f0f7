/** Open Inference Protocol (KServe V2) inference: JSON or binary tensors in, JSON or binary out. */
import type { InferenceProtocol } from './inference-protocol';
import { binaryPart, parseJsonPart } from './request-body';
import { parseV2Request, type InferRequest } from './v2-request';
import { encodeV2Response } from './v2-response';

export const v2Inference: InferenceProtocol<InferRequest> = {
  parse: (body, model, config) =>
    parseV2Request(parseJsonPart(body), body.binary ? binaryPart(body) : undefined, model, config.limits.maxTensorElements),
  run: (request, model) => model.session.run(request.feeds, request.outputNames),
  encode: (request, results, model, config) =>
    encodeV2Response(config.name, config.version, request.id, results, request.outputNames, model.outputs, request.binaryOutputs),
};
