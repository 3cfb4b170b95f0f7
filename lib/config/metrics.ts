/**
 * The `metrics` setting: the Workers Analytics Engine dataset every Worker version writes one data
 * point per request to (through the `MODEL_METRICS` binding; see worker/http/metrics.ts).
 */
import { ProblemSink, isToken } from './tokens';
import type { MetricsConfig } from './types';

/** Dataset names are table names in the Analytics Engine SQL API. */
const DATASET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function resolveMetricsDataset(metrics: MetricsConfig | undefined, problem: ProblemSink): string | undefined {
  if (metrics === undefined) return undefined;
  const dataset = metrics.dataset;
  if (dataset === undefined || (!isToken(dataset) && !DATASET_NAME.test(String(dataset)))) {
    problem('metrics.dataset', dataset === undefined ? 'is required when metrics is set' : `"${String(dataset)}" is not a dataset name`, 'name the Analytics Engine dataset with letters, digits and "_" (it is the table name in SQL queries), e.g. "model_edge_requests"');
  }
  return dataset;
}
