/**
 * The inference endpoints (V2 infer, V1 :predict) as one flat handler each: route check, body
 * read, model, cache, then the protocol's parse, the session's run and the protocol's encode,
 * called in order as plain functions. This is the one place that times them (Server-Timing, and
 * the request state's inference figures that the metrics data point reports).
 *
 * Why not a middleware per step: every Hono layer is an async closure, a dispatch and a promise per
 * request, and inference is the path that serves the traffic.
 */
import type { ModelConfig } from '../env';
import type { RequestBody } from '../protocol/request-body';
import type { Answer } from '../protocol/answer';
import type { InferenceProtocol } from '../protocol/inference-protocol';
import { configOfState, type AppContext, type InferenceFigures, type RequestState } from '../http/types';
import type { Tensor } from '../runtime/tensor';
import type { LoadedModel, ModelLoader } from '../http/model';
import { readRequestBody } from '../http/request-body';
import { cacheFor, cacheKey, hitResponse, lookup, store, type EdgeCache } from '../http/edge-cache';
import { respond } from '../http/response-headers';
import { round } from '../http/log-line';
import { checkModelRoute } from './model-route';

export interface InferenceOptions {
  /** @default caches.default when the runtime has one */
  readonly cache?: () => EdgeCache | undefined;
}

/** A protocol's parsed request: its input tensors by name. */
type ParsedRequest = { readonly feeds: Readonly<Record<string, Tensor>> };

export function inferenceHandler<R extends ParsedRequest>(loader: ModelLoader, protocol: InferenceProtocol<R>, options: InferenceOptions = {}) {
  const cacheOf = options.cache;
  return async function inference(c: AppContext, state: RequestState): Promise<Response> {
    const config = configOfState(state);
    const figures: InferenceFigures = { parseMs: 0, inferMs: 0, encodeMs: 0, batchSize: 0, requestBytes: 0, responseBody: undefined, responseBytes: 0 };
    state.inference = figures;
    checkModelRoute(c, config);
    const readStart = performance.now();
    const body = await readRequestBody(c.req, config.limits.maxBodyBytes);
    const readMs = performance.now() - readStart;
    figures.requestBytes = body.bytes.byteLength;
    figures.parseMs = readMs;
    const model = loader.loaded() ?? (await loader());
    state.model = model;
    const cache = cacheFor(config, model, cacheOf);
    let key: string | undefined;
    if (cache === undefined) {
      state.cacheStatus = 'bypass';
    } else {
      key = await cacheKey(c, state, config, model, body);
      const cached = await lookup(cache, key);
      if (cached !== undefined) {
        state.cacheStatus = 'hit';
        figures.responseBytes = Number(cached.headers.get('content-length')) || 0;
        return hitResponse(cached, serverTiming(state, readMs, 0, 0));
      }
      state.cacheStatus = 'miss';
    }
    const { encoded, timing } = produce(state, protocol, body, model, config, readMs);
    if (cache !== undefined && key !== undefined) store(c, cache, key, encoded, config);
    const extra = encoded.headers ? { ...encoded.headers, 'Server-Timing': timing } : { 'Server-Timing': timing };
    return respond(state, encoded.body, encoded.contentType, extra);
  };
}

/** Parse, run and encode, each timed. */
function produce<R extends ParsedRequest>(
  state: RequestState,
  protocol: InferenceProtocol<R>,
  body: RequestBody,
  model: LoadedModel,
  config: ModelConfig,
  readMs: number,
): { encoded: Answer; timing: string } {
  const figures = state.inference as InferenceFigures;
  const parseStart = performance.now();
  const request = protocol.parse(body, model, config);
  const inferStart = performance.now();
  figures.parseMs = readMs + (inferStart - parseStart);
  figures.batchSize = batchSizeOf(request.feeds);
  const results = protocol.run(request, model);
  const encodeStart = performance.now();
  figures.inferMs = encodeStart - inferStart;
  // Encoded before any await: nothing else runs on the session's results in between.
  const encoded = protocol.encode(request, results, model, config);
  figures.encodeMs = performance.now() - encodeStart;
  figures.responseBody = encoded.body;
  return { encoded, timing: serverTiming(state, figures.parseMs, figures.inferMs, figures.encodeMs) };
}

/** The first dimension of the first input: the batch (1 for a scalar input). */
function batchSizeOf(feeds: Readonly<Record<string, Tensor>>): number {
  for (const name in feeds) return feeds[name].shape[0] ?? 1;
  return 0;
}

/** `parse;dur=..,infer;dur=..,encode;dur=..,total;dur=..` (parse includes reading the body). */
function serverTiming(state: RequestState, parseMs: number, inferMs: number, encodeMs: number): string {
  const total = performance.now() - state.startedAt;
  return `parse;dur=${round(parseMs)},infer;dur=${round(inferMs)},encode;dur=${round(encodeMs)},total;dur=${round(total)}`;
}
