/** The Hono environment every route and request step of the Worker shares. */
import type { Context } from 'hono';
import type { Env, ModelConfig } from '../env';
import type { LoadedModel } from './model';

export type CacheStatus = 'hit' | 'miss' | 'bypass';

/** What the inference handler measured, for the metrics data point (http/metrics.ts). */
export interface InferenceFigures {
  /** reading and parsing the body, ms */
  parseMs: number;
  inferMs: number;
  encodeMs: number;
  /** first dimension of the first input (0 when not parsed: a cache hit or a refused request) */
  batchSize: number;
  requestBytes: number;
  /** the answer's body (its byte length is only computed when metrics are written) */
  responseBody: string | Uint8Array | undefined;
  /** byte length of an answer whose body is not at hand (a cache hit) */
  responseBytes: number;
}

/**
 * Everything the Worker learns about one request, in one plain object handed to the route's
 * handler: plain property reads instead of Context.get/set through a Map.
 */
export interface RequestState {
  readonly requestId: string;
  /** performance.now() when the request arrived */
  readonly startedAt: number;
  /** headers every response to this request carries (see response-headers.ts) */
  readonly headers: Record<string, string>;
  /** set once MODEL_CONFIG parsed: every route after the request context can rely on it */
  config: ModelConfig | undefined;
  model: LoadedModel | undefined;
  /**
   * The one record of the edge cache's part in the answer, for inference routes (the Cache-Status
   * header and the log line are written from it); undefined on other routes.
   */
  cacheStatus: CacheStatus | undefined;
  /** hex SHA-256 of the caller's API key when keys are configured */
  callerKeySha256: string | undefined;
  /** a genuine fault, logged with the request's log line */
  fault: unknown;
  /** set by the inference handler as it goes; undefined on other routes */
  inference: InferenceFigures | undefined;
  /** the response `respond` built with the per-request headers already in it */
  completeResponse: Response | undefined;
}

export type AppEnv = { Bindings: Env };

export type AppContext = Context<AppEnv>;

/** A route's handler: the request context (see request-context.ts) calls it with the request state. */
export type Handler = (c: AppContext, state: RequestState) => Response | Promise<Response>;

/** The config of a request past the request context's checks (which answer 500 without one). */
export function configOfState(state: RequestState): ModelConfig {
  return state.config as ModelConfig;
}

/** One structured log line per request. */
export type LogSink = (line: string) => void;
