/**
 * The Workers Analytics Engine binding a Worker version gets when `metrics.dataset` is set: the
 * Worker writes one data point per request to `env.MODEL_METRICS` (worker/http/metrics.ts).
 */
import type { WorkerVersionBindings } from '@cdktf/provider-cloudflare/lib/worker-version';
import type { ResolvedDeploymentConfig } from './config/types';
import { METRICS_BINDING } from '../worker/http/metrics';

export function metricsBindings(config: Pick<ResolvedDeploymentConfig, 'metricsDataset'>): WorkerVersionBindings[] {
  return config.metricsDataset === undefined ? [] : [{ name: METRICS_BINDING, type: 'analytics_engine', dataset: config.metricsDataset }];
}
