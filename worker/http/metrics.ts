/**
 * One Workers Analytics Engine data point per request, when the deployment sets `metrics.dataset`
 * (the construct binds the dataset as MODEL_METRICS). Written once, by the request context after the
 * answer is built; `writeDataPoint` does not wait for anything, and a failure is logged, never
 * answered.
 *
 * The layout is the SQL API's column names: `blob1`..`blob7` and `double1`..`double8` in the order of
 * METRICS_BLOBS and METRICS_DOUBLES, `index1` the model name (Analytics Engine samples per index).
 * docs/operations.md has the queries; local serving writes the same points to a file.
 */
import { printable } from '../protocol/request-error';
import type { MetricsDataset } from '../env';
import type { AppContext, LogSink, RequestState } from './types';

export const METRICS_BINDING = 'MODEL_METRICS';

/** blob1..blob7 */
export const METRICS_BLOBS = ['model', 'version', 'cache', 'endpoint', 'method', 'workerVersion', 'requestId'] as const;
/** double1..double8 */
export const METRICS_DOUBLES = ['status', 'totalMs', 'parseMs', 'inferMs', 'encodeMs', 'batchSize', 'requestBytes', 'responseBytes'] as const;

export function writeMetrics(dataset: MetricsDataset, c: AppContext, status: number, state: RequestState, log: LogSink): void {
  try {
    const totalMs = performance.now() - state.startedAt;
    const config = state.config;
    const model = config?.name ?? '';
    const f = state.inference;
    const requestBytes = f !== undefined ? f.requestBytes : Number(c.req.header('content-length') ?? 0) || 0;
    dataset.writeDataPoint({
      indexes: [model],
      blobs: [model, config?.version ?? '', state.cacheStatus ?? 'bypass', f !== undefined ? 'infer' : 'other', printable(c.req.method, 16), c.env?.CF_VERSION_METADATA?.id ?? '', state.requestId],
      doubles: [
        status,
        totalMs,
        f?.parseMs ?? 0,
        f?.inferMs ?? 0,
        f?.encodeMs ?? 0,
        f?.batchSize ?? 0,
        requestBytes,
        f === undefined ? 0 : f.responseBody !== undefined ? byteLength(f.responseBody) : f.responseBytes,
      ],
    });
  } catch (err) {
    log(`{"message":"metrics not written","requestId":"${state.requestId}","error":${JSON.stringify(String((err as Error)?.message ?? err))}}`);
  }
}

/** UTF-8 byte length of a string without encoding it. */
export function byteLength(body: string | Uint8Array): number {
  if (typeof body !== 'string') return body.byteLength;
  let n = body.length;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) n += 1;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < body.length) {
      n += 2; // a surrogate pair: 4 bytes for 2 UTF-16 units
      i++;
    } else n += 2;
  }
  return n;
}
