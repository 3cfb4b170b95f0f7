/**
 * Resolves one deployment's settings: fills in defaults and collects every problem found without
 * touching the file system, topic by topic (config/names, versions, routing, runtime, api-keys).
 * Checks that need the built files (missing model file, size limit) and checks that span several
 * deployments (duplicate Worker names and routes) live in the construct.
 */
import { ConfigProblem, configProblem } from './errors';
import { unknownConstructProps } from './settings-declaration';
import { resolveApiKeys } from './config/api-keys';
import { resolveEnvironment, resolveModelName, resolveWorkerName } from './config/names';
import { resolveRouting } from './config/routing';
import { resolveRateLimit } from './config/rate-limit';
import { resolveMetricsDataset } from './config/metrics';
import { resolveRuntime } from './config/runtime';
import { TerraformChecks, isToken, newChecks, requireLiteral } from './config/tokens';
import { ModelEdgeDeploymentConfig, ResolvedDeploymentConfig } from './config/types';
import { resolveVersions } from './config/versions';

export * from './config/types';
export { DEFAULT_COMPATIBILITY_DATE, PLAN_SIZE_LIMIT_BYTES, checkCompatibilityDate } from './config/runtime';
export { defaultWorkerName } from './config/names';
export { parseRoutePattern, hostInZone } from './config/routing';
export { isToken, NOT_AN_EXPRESSION } from './config/tokens';
export { MAX_VERSIONS } from './config/versions';

const HEX32 = /^[0-9a-f]{32}$/;
const RESERVED_BINDINGS = new Set(['MODEL_CONFIG', 'CF_VERSION_METADATA', 'MODEL_METRICS', 'MODEL_WEIGHTS']);

/** Where the deployment sits, for defaults derived from it. */
export interface DeploymentContext {
  /** The id of the enclosing stack: the default environment. */
  readonly stackName: string;
  /** Today, for the compatibility date check. */
  readonly today?: Date;
}

export interface ResolvedSettings {
  readonly resolved: ResolvedDeploymentConfig;
  readonly problems: ConfigProblem[];
  /** Rules on Terraform expressions, checked by Terraform at plan time. */
  readonly checks: TerraformChecks;
}

export function resolveDeploymentConfig(config: ModelEdgeDeploymentConfig, context: DeploymentContext = { stackName: '' }): ResolvedSettings {
  const problems: ConfigProblem[] = [];
  const checks = newChecks();
  const nameOk = resolveModelName(config.modelName, (f, w, x) => problems.push(configProblem('(unnamed)', f, w, x)));
  const model = nameOk ? config.modelName : '(unnamed)';
  const problem = (field: string, what: string, fix: string) => problems.push(configProblem(model, field, what, fix));

  for (const key of unknownConstructProps(config)) {
    problem(key, 'is not a known setting', 'remove it or correct the spelling; every setting is listed in docs/deployment-settings.md');
  }
  const accountId = config.accountId;
  if (accountId === undefined || accountId === '') {
    problem('accountId', 'no Cloudflare account id is given', 'set CLOUDFLARE_ACCOUNT_ID at synth time, or pass the 32-hex-digit account id (or a Terraform variable) as accountId');
  } else if (!isToken(accountId) && !HEX32.test(String(accountId))) {
    problem('accountId', `"${String(accountId)}" is not a Cloudflare account id`, 'pass the 32-hex-digit account id from the dashboard, or a Terraform variable');
  }

  const environment = resolveEnvironment(config.environment, context.stackName, problem);
  const workerName = resolveWorkerName(config.workerName, model, environment, problem);
  const versions = resolveVersions(model, config.versions, problem, checks);
  const routing = resolveRouting(config, problem);
  const runtime = resolveRuntime(config, model, context.today ?? new Date(), problem, checks);
  const allowNoKeys = config.allowNoKeys ?? false;
  const apiKeySha256 = resolveApiKeys(config.apiKeySha256, allowNoKeys, model, problem, checks);

  const bindings = config.bindings ?? [];
  if (requireLiteral(bindings, 'bindings', 'each binding is written into every Worker version', problem)) {
    bindings.forEach((b, i) => {
      if (RESERVED_BINDINGS.has(b.name)) problem(`bindings[${i}].name`, `the name ${b.name} is the construct's own binding`, 'choose another name');
    });
  }
  const rateLimit = resolveRateLimit(config.rateLimit, routing, model, problem, checks);
  const metricsDataset = resolveMetricsDataset(config.metrics, problem);
  const hooksEntry = config.hooks?.entry;
  if (config.hooks !== undefined) requireLiteral(hooksEntry, 'hooks.entry', 'the module is bundled at synth time', problem);

  return {
    resolved: {
      modelName: model,
      accountId,
      environment,
      workerName,
      versions,
      zoneLookupByAccount: config.zoneLookupByAccount ?? true,
      ...routing,
      ...runtime,
      apiKeySha256,
      allowNoKeys,
      playground: config.playground ?? true,
      hooksEntry,
      bindings,
      outputs: config.outputs ?? true,
      rateLimit,
      metricsDataset,
    },
    problems,
    checks,
  };
}
