/**
 * model-edge: deploy ONNX models to Cloudflare Workers with CDKTF.
 *
 *   import { ModelEdgeDeployment } from 'model-edge';
 *   new ModelEdgeDeployment(stack, 'iris', { modelName: 'iris', accountId, zoneName: 'example.com',
 *     versions: [{ label: 'v1', modelPath: 'models/iris/model.onnx' }], routes: ['api.example.com/iris/*'] });
 *
 * This entry is the construct's public API and is compiled by jsii for other cdktf languages:
 * classes, interfaces and constants only (TypeScript-only helpers are marked `@jsii ignore`).
 */
export { ModelEdgeDeployment, WORKER_MODULE, MODEL_MODULE, KERNELS_MODULE } from './model-edge-deployment';
export type { ModelEdgeVersion } from './model-edge-deployment';
export { RolloutPercentage } from './rollout';
export type { RolloutPercentageProps } from './rollout';
export { DEFAULT_COMPATIBILITY_DATE, PLAN_SIZE_LIMIT_BYTES } from './deployment-config';
export type {
  ModelEdgeDeploymentConfig,
  SharedDeploymentSettings,
  ModelVersionConfig,
  ModelLimitsConfig,
  CacheConfig,
  CorsConfig,
  ObservabilityConfig,
  WorkerHooksConfig,
  RateLimitConfig,
  MetricsConfig,
  ExtraBinding,
  ResolvedDeploymentConfig,
  ResolvedRouting,
  ResolvedRuntime,
  ResolvedModelVersion,
  ResolvedLimits,
  ResolvedCache,
  ResolvedCors,
  ResolvedObservability,
  ResolvedRateLimit,
  WeightsConfig,
  ResolvedWeights,
} from './deployment-config';
export { ModelEdgeConfigError } from './errors';
export type { ConfigProblem } from './errors';
export { ModelEdgeStack, addModelEdgeStacks, chooseBackend, environmentsFrom } from './stack';
export type { ModelEdgeStackProps, SynthEnvironment } from './stack';
export { readModelFolder, listModelFolders } from './model-settings';
export type { ModelSettings, ModelSettingsBase, VersionSettings, ModelFolder } from './model-settings';
export type { BuiltBundle, BuiltFile, BuiltModel, BuiltModule, BuiltWeights } from './model-build';
export type { Int8Accuracy, WorkingSet } from './model-compiler';
