/** The Hono environment every route and middleware of the Worker shares. */
import type { Env, ModelConfig } from '../env';
import type { LoadedModel } from './model';

export type CacheStatus = 'hit' | 'miss' | 'bypass';

export interface Variables {
  requestId: string;
  /** performance.now() when the request arrived */
  startedAt: number;
  config: ModelConfig;
  model: LoadedModel;
  /** the parsed JSON body of POST routes */
  body: unknown;
  /** milliseconds spent reading and parsing the body (and, later, the tensors) */
  parseMs: number;
  inferMs: number;
  cacheStatus: CacheStatus;
  /** hex SHA-256 of the caller's API key when keys are configured */
  callerKeySha256: string;
  /** a genuine fault, logged with the request's log line */
  fault: unknown;
  /** headers every response to this request carries (see response-headers.ts) */
  responseHeaders: Record<string, string>;
  /** the response jsonResponse built with those headers already in it */
  completeResponse: Response;
}

export type AppEnv = { Bindings: Env; Variables: Variables };

/** One structured log line per request. */
export type LogSink = (line: string) => void;
