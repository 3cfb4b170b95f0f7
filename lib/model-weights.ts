/**
 * Where each version's weights go (the script or the version's static assets) and the synth-time
 * checks that depend on the built model: script size, peak isolate memory and int8 accuracy. Each
 * failure is a problem naming the model, the field and the fix; the facts are printed to the synth log.
 */
import type { ConfigProblem } from './errors';
import { configProblem } from './errors';
import type { ResolvedDeploymentConfig } from './config/types';
import { PLAN_SIZE_LIMIT_BYTES } from './config/runtime';
import { isToken } from './config/tokens';
import { DEFAULT_LIMITS } from './config/runtime';
import { BuiltFile, BuiltModel, shardModelWeights } from './model-build';
import { ISOLATE_MEMORY_BYTES, describeEstimate, estimatePeakMemory, largestFittingTensorElements, mib } from './memory-estimate';

/** The name of the assets binding the Worker reads its weights through (worker/model-loading/weight-shards.ts). */
export const WEIGHTS_BINDING = 'MODEL_WEIGHTS';

/**
 * Moves a version's weights into static assets when the settings ask for it, or (`auto`) when the
 * bundle, kernels and model together would exceed the plan's script size limit.
 */
export function placeWeights(config: ResolvedDeploymentConfig, scriptGzipBytes: number, models: Array<BuiltModel | undefined>, buildDir: string): Array<BuiltModel | undefined> {
  const limit = PLAN_SIZE_LIMIT_BYTES[config.plan] ?? PLAN_SIZE_LIMIT_BYTES.free;
  return models.map((model) => {
    if (!model) return undefined;
    const storage = config.weights.storage;
    const toAssets = storage === 'assets' || (storage === 'auto' && scriptGzipBytes + model.gzipBytes > limit);
    return toAssets && model.weightBytes > 0 ? shardModelWeights(model, buildDir) : model;
  });
}

/** Bundle + kernels + model must fit the plan's script size limit (after the weights have been placed). */
export function checkScriptSize(config: ResolvedDeploymentConfig, bundle: { readonly gzipBytes: number }, kernels: BuiltFile | undefined, models: Array<BuiltModel | undefined>, problems: ConfigProblem[]): void {
  const limit = PLAN_SIZE_LIMIT_BYTES[config.plan] ?? PLAN_SIZE_LIMIT_BYTES.free;
  models.forEach((model, i) => {
    if (!model) return;
    const total = bundle.gzipBytes + model.gzipBytes + (kernels?.gzipBytes ?? 0);
    if (total <= limit) return;
    const paid = config.plan === 'free' ? 'set plan to "paid" (10 MiB), or ' : '';
    const fix = model.weights
      ? `${paid}deploy a model with a smaller graph (its weights are already static assets)`
      : `${paid}set weights.storage to "auto" (the weights then go to the version's static assets), or deploy a smaller (quantized or pruned) model`;
    problems.push(configProblem(config.modelName, `versions[${i}].modelPath`, `the Worker bundle plus model is ${mib(total)} after gzip (model ${mib(model.gzipBytes)}), over the ${config.plan} plan's limit of ${mib(limit)}`, fix));
  });
}

/** Peak isolate memory against 128 MB, and int8 accuracy against weights.maxAbsDiff. */
export function checkModelFits(config: ResolvedDeploymentConfig, labels: readonly string[], models: Array<BuiltModel | undefined>, problems: ConfigProblem[], log: (line: string) => void): void {
  const maxTensorElements = isToken(config.limits.maxTensorElements) ? DEFAULT_LIMITS.maxTensorElements : config.limits.maxTensorElements;
  models.forEach((model, i) => {
    if (!model) return;
    const name = `${config.modelName} ${labels[i]}`;
    const where = model.weights ? `${mib(model.weights.bytes)} of weights in ${model.weights.shards} static asset shard${model.weights.shards === 1 ? '' : 's'}` : 'weights in the script';
    const estimate = estimatePeakMemory(model, maxTensorElements);
    // Small in-script models stay quiet; large ones show where the weights went and the memory they need.
    if (model.weights || estimate.totalBytes > ISOLATE_MEMORY_BYTES / 2) log(`model-edge: ${name}: ${where}; ${describeEstimate(estimate)}`);
    if (estimate.totalBytes > ISOLATE_MEMORY_BYTES) {
      const fits = largestFittingTensorElements(model);
      const fix =
        fits !== undefined && fits >= (model.workingSet?.inputElementsPerRow ?? 1)
          ? `set limits.maxTensorElements to at most ${fits} (${Math.floor(fits / (model.workingSet?.inputElementsPerRow ?? 1))} rows per request)${config.weights.precision === 'int8' ? '' : ', or use weights.precision "int8" if the weights are the bulk'}`
          : 'deploy a smaller model (fewer or narrower layers); the weights alone do not fit one isolate';
      problems.push(configProblem(config.modelName, `versions[${i}].modelPath`, `the model needs an estimated ${mib(estimate.totalBytes)} in one Worker isolate, over the platform's ${mib(ISOLATE_MEMORY_BYTES)} (${describeEstimate(estimate)})`, fix));
    }
    const q = model.int8;
    if (q) {
      const figures = q.samples > 0 ? `max abs diff ${q.maxAbsDiff!.toPrecision(3)}, arg-max agreement ${(q.argmaxAgreement! * 100).toFixed(1)}% over ${q.samples} generated inputs` : 'accuracy not measured (the inputs are not float32 tensors of known rank)';
      log(`model-edge: ${name}: int8 weights (${q.quantizedTensors} tensor${q.quantizedTensors === 1 ? '' : 's'}) vs float32: ${figures}`);
      const max = config.weights.maxAbsDiff;
      if (max !== undefined && (q.samples === 0 || q.maxAbsDiff! > max)) {
        problems.push(
          configProblem(
            config.modelName,
            'weights.maxAbsDiff',
            q.samples === 0 ? 'int8 accuracy cannot be measured for this model, so the limit cannot be checked' : `int8 weights change an output by up to ${q.maxAbsDiff!.toPrecision(3)}, over the limit of ${max}`,
            'use weights.precision "float32", or raise weights.maxAbsDiff if the change is acceptable',
          ),
        );
      }
    }
  });
}
