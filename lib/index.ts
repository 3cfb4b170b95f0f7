/**
 * model-edge: deploy ONNX models to Cloudflare Workers with CDKTF.
 *
 *   import { ModelEdgeDeployment } from 'model-edge';
 *   new ModelEdgeDeployment(stack, 'iris', { modelName: 'iris', accountId, zoneName: 'example.com',
 *     versions: [{ label: 'v1', modelPath: 'models/iris/model.onnx' }], routes: ['api.example.com/iris/*'] });
 */
export { ModelEdgeDeployment, WORKER_MODULE, MODEL_MODULE, KERNELS_MODULE } from './model-edge-deployment';
export type { ModelEdgeVersion } from './model-edge-deployment';
export { DEFAULT_COMPATIBILITY_DATE, PLAN_SIZE_LIMIT_BYTES } from './deployment-config';
export type {
  ModelEdgeDeploymentConfig,
  ModelVersionConfig,
  ModelLimitsConfig,
  CacheConfig,
  CorsConfig,
  ObservabilityConfig,
  WorkersPlan,
  ResolvedDeploymentConfig,
} from './deployment-config';
export { ModelEdgeConfigError } from './errors';
export type { ConfigProblem } from './errors';
export { ModelEdgeStack, addModelEdgeStacks, chooseBackend, environmentsFrom } from './stack';
export type { ModelEdgeStackProps, SynthEnvironment } from './stack';
export { readModelFolder, listModelFolders } from './model-settings';
export type { ModelSettings, VersionSettings, ModelFolder } from './model-settings';
