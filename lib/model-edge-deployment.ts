/**
 * ModelEdgeDeployment: one model served from a Cloudflare Worker.
 *
 * Creates the Worker, one Worker version per model version (the bundled runtime, the compiled
 * model and the optional WebAssembly kernels as modules), a percentage deployment, the routes
 * and/or custom domain, and outputs with stable names. It never creates the provider.
 */
import { accessSync, constants as fsConstants } from 'fs';
import { Construct, IValidation } from 'constructs';
import { TerraformAsset, AssetType, TerraformOutput, TerraformStack } from 'cdktf';
import { DataCloudflareZone } from '@cdktf/provider-cloudflare/lib/data-cloudflare-zone';
import { Worker } from '@cdktf/provider-cloudflare/lib/worker';
import { WorkerVersion, WorkerVersionModules } from '@cdktf/provider-cloudflare/lib/worker-version';
import { WorkersCustomDomain } from '@cdktf/provider-cloudflare/lib/workers-custom-domain';
import { WorkersDeployment } from '@cdktf/provider-cloudflare/lib/workers-deployment';
import { WorkersRoute } from '@cdktf/provider-cloudflare/lib/workers-route';
import {
  ModelEdgeDeploymentConfig,
  PLAN_SIZE_LIMIT_BYTES,
  ResolvedDeploymentConfig,
  parseRoutePattern,
  resolveDeploymentConfig,
} from './deployment-config';
import { ConfigProblem, configProblem, formatProblem, throwIfProblems } from './errors';
import { BuiltBundle, BuiltFile, BuiltModel, buildModelArtifact, buildWorkerBundle, defaultBuildDir, findKernelsWasm } from './model-build';
import { modelConfigText } from './model-config-binding';

/** Module names inside the Worker; worker/index.ts imports './model.bin' and './kernels.wasm'. */
export const WORKER_MODULE = 'worker.js';
export const MODEL_MODULE = 'model.bin';
export const KERNELS_MODULE = 'kernels.wasm';

/** One deployed model version. */
export interface ModelEdgeVersion {
  readonly label: string;
  /** Share of traffic in percent. */
  readonly percentage: number;
  /** The `cloudflare_worker_version` that carries this model version. */
  readonly workerVersion: WorkerVersion;
  /** Hex SHA-256 of the compiled model artifact (the `model.bin` module). */
  readonly modelSha256: string;
  /** Hex SHA-256 of the source model file. */
  readonly sourceSha256: string;
}

const DEPLOYMENT_SYMBOL = Symbol.for('model-edge.ModelEdgeDeployment');
const STACKS_WITH_CLAIMS_CHECK = new WeakSet<TerraformStack>();

export class ModelEdgeDeployment extends Construct {
  /** True when `x` is a ModelEdgeDeployment (also across copies of this package). */
  static isModelEdgeDeployment(x: unknown): x is ModelEdgeDeployment {
    return typeof x === 'object' && x !== null && DEPLOYMENT_SYMBOL in x;
  }

  /** The configuration with every default filled in. */
  readonly config: ResolvedDeploymentConfig;
  readonly workerName: string;
  readonly worker: Worker;
  /** One entry per model version, in the order of `config.versions`. */
  readonly versions: readonly ModelEdgeVersion[];
  readonly deployment: WorkersDeployment;
  /** The zone lookup, when the zone is given by name and routes or a custom domain need it. */
  readonly zone?: DataCloudflareZone;
  /** The zone id used by routes and the custom domain (may be a token). */
  readonly zoneId?: string;
  readonly routes: readonly WorkersRoute[];
  readonly customDomain?: WorkersCustomDomain;
  /** Base URLs of the API (may contain tokens when the zone name is a variable). */
  readonly endpoints: readonly string[];
  /** The Worker bundle every version uploads. */
  readonly workerBundle: BuiltBundle;

  constructor(scope: Construct, id: string, config: ModelEdgeDeploymentConfig) {
    super(scope, id);
    Object.defineProperty(this, DEPLOYMENT_SYMBOL, { value: true });

    const { resolved, problems } = resolveDeploymentConfig(config);
    const buildDir = config.buildDir ?? defaultBuildDir();
    const models = buildModels(resolved, buildDir, problems);
    this.workerBundle = buildWorkerBundle(buildDir);
    const kernels = findKernelsWasm();
    if (!kernels && this.workerBundle.externalImports.includes(`./${KERNELS_MODULE}`)) {
      throw new Error(`The Worker imports ./${KERNELS_MODULE}, but worker/wasm/${KERNELS_MODULE} has not been built. Fix: run \`node scripts/build-wasm.mjs\` (or reinstall model-edge).`);
    }
    checkSize(resolved, this.workerBundle, kernels, models, problems);
    throwIfProblems(problems);

    this.config = resolved;
    this.workerName = resolved.workerName;

    this.worker = new Worker(this, 'Worker', {
      accountId: resolved.accountId,
      name: resolved.workerName,
      subdomain: { enabled: resolved.workersDev, previewsEnabled: false },
      observability: {
        enabled: resolved.observability.enabled,
        headSamplingRate: resolved.observability.headSamplingRate,
        logs: { enabled: resolved.observability.enabled, headSamplingRate: resolved.observability.headSamplingRate, invocationLogs: true },
      },
    });

    const workerAsset = new TerraformAsset(this, 'WorkerBundle', { path: this.workerBundle.path, type: AssetType.FILE });
    const kernelsAsset = kernels && new TerraformAsset(this, 'Kernels', { path: kernels.path, type: AssetType.FILE });

    this.versions = resolved.versions.map((v, i) => {
      const model = models[i] as BuiltModel;
      const modelAsset = new TerraformAsset(this, `Model-${v.label}`, { path: model.path, type: AssetType.FILE });
      const modules: WorkerVersionModules[] = [
        { name: WORKER_MODULE, contentType: 'application/javascript+module', contentFile: workerAsset.path },
        { name: MODEL_MODULE, contentType: 'application/octet-stream', contentFile: modelAsset.path },
      ];
      if (kernelsAsset) modules.push({ name: KERNELS_MODULE, contentType: 'application/wasm', contentFile: kernelsAsset.path });
      const workerVersion = new WorkerVersion(this, `Version-${v.label}`, {
        accountId: resolved.accountId,
        workerId: this.worker.id,
        mainModule: WORKER_MODULE,
        modules,
        bindings: [
          { name: 'MODEL_CONFIG', type: 'plain_text', text: modelConfigText(resolved, v.label) },
          { name: 'CF_VERSION_METADATA', type: 'version_metadata' },
        ],
        compatibilityDate: resolved.compatibilityDate,
        compatibilityFlags: [...resolved.compatibilityFlags],
        limits: resolved.cpuMs !== undefined ? { cpuMs: resolved.cpuMs } : undefined,
        annotations: {
          workersTag: v.label,
          workersMessage: `${resolved.modelName} ${v.label} model sha256:${model.sha256} worker sha256:${this.workerBundle.sha256}`,
        },
      });
      return { label: v.label, percentage: v.percentage, workerVersion, modelSha256: model.sha256, sourceSha256: model.sourceSha256 };
    });

    this.deployment = new WorkersDeployment(this, 'Deployment', {
      accountId: resolved.accountId,
      scriptName: this.worker.name,
      strategy: 'percentage',
      versions: this.versions.map((v) => ({ versionId: v.workerVersion.id, percentage: v.percentage })),
      annotations: { workersMessage: `${resolved.modelName}: ${this.versions.map((v) => `${v.label} ${v.percentage}%`).join(', ')}` },
    });

    const needsZone = resolved.routes.length > 0 || resolved.customDomain !== undefined;
    if (needsZone && resolved.zoneId === undefined && resolved.zoneName !== undefined) {
      this.zone = new DataCloudflareZone(this, 'Zone', {
        filter: {
          name: resolved.zoneName,
          ...(resolved.zoneLookupByAccount ? { account: { id: resolved.accountId } } : {}),
        },
      });
    }
    this.zoneId = resolved.zoneId ?? this.zone?.id;

    // Routes and the custom domain wait for the deployment, so traffic never reaches a Worker without a version.
    this.routes = resolved.routes.map(
      (pattern, i) =>
        new WorkersRoute(this, `Route-${i}`, { zoneId: this.zoneId as string, pattern, script: this.worker.name, dependsOn: [this.deployment] }),
    );
    if (resolved.customDomain !== undefined) {
      this.customDomain = new WorkersCustomDomain(this, 'CustomDomain', {
        accountId: resolved.accountId,
        zoneId: this.zoneId as string,
        hostname: resolved.customDomain,
        service: this.worker.name,
        dependsOn: [this.deployment],
      });
    }

    this.endpoints = endpointUrls(resolved);
    this.addOutputs();
    registerClaimsCheck(this);
  }

  private addOutputs(): void {
    const prefix = outputName(this.node.id);
    new TerraformOutput(this, `${prefix}_endpoint_urls`, {
      value: [...this.endpoints],
      staticId: true,
      description: `Base URLs of the ${this.config.modelName} API (POST <url>v2/models/${this.config.modelName}/infer)`,
    });
    new TerraformOutput(this, `${prefix}_worker_name`, { value: this.worker.name, staticId: true });
    for (const v of this.versions) {
      new TerraformOutput(this, `${prefix}_version_${outputName(v.label)}_model_sha256`, {
        value: v.modelSha256,
        staticId: true,
        description: `SHA-256 of the compiled model artifact of version ${v.label}`,
      });
    }
  }
}

/** Compiles each version's model; missing, unreadable and unsupported files become problems. */
function buildModels(config: ResolvedDeploymentConfig, buildDir: string, problems: ConfigProblem[]): Array<BuiltModel | undefined> {
  return config.versions.map((v, i) => {
    const field = `versions[${i}].modelPath`;
    if (typeof v.modelPath !== 'string' || v.modelPath === '') return undefined;
    try {
      accessSync(v.modelPath, fsConstants.R_OK);
    } catch (e) {
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
      problems.push(
        configProblem(
          config.modelName,
          field,
          missing ? `the model file ${v.modelPath} does not exist` : `the model file ${v.modelPath} cannot be read (${(e as NodeJS.ErrnoException).code})`,
          missing ? 'point modelPath at the .onnx file (relative paths start at the working directory), or create it' : 'make the file readable by the user running synth',
        ),
      );
      return undefined;
    }
    try {
      return buildModelArtifact(v.modelPath, buildDir);
    } catch (e) {
      const err = e as Error & { problems?: readonly string[] };
      const details = Array.isArray(err.problems) && err.problems.length > 0 ? err.problems.join('; ') : err.message;
      problems.push(configProblem(config.modelName, field, `the model ${v.modelPath} cannot be compiled: ${details}`, 'export the model again with supported operators, or point modelPath at another model'));
      return undefined;
    }
  });
}

/** Every version uploads the bundle, its model and the kernels together; their gzip size must fit the plan. */
function checkSize(config: ResolvedDeploymentConfig, bundle: BuiltFile, kernels: BuiltFile | undefined, models: Array<BuiltModel | undefined>, problems: ConfigProblem[]): void {
  const limit = PLAN_SIZE_LIMIT_BYTES[config.plan] ?? PLAN_SIZE_LIMIT_BYTES.free;
  models.forEach((model, i) => {
    if (!model) return;
    const total = bundle.gzipBytes + model.gzipBytes + (kernels?.gzipBytes ?? 0);
    if (total > limit) {
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;
      problems.push(
        configProblem(
          config.modelName,
          `versions[${i}].modelPath`,
          `the Worker bundle plus model is ${mb(total)} after gzip (model ${mb(model.gzipBytes)}), over the ${config.plan} plan's limit of ${mb(limit)}`,
          config.plan === 'free' ? 'set plan to "paid" (10 MiB), or deploy a smaller (quantized or pruned) model' : 'deploy a smaller (quantized or pruned) model',
        ),
      );
    }
  });
}

function endpointUrls(config: ResolvedDeploymentConfig): string[] {
  const urls = config.routes.map((pattern) => {
    const parsed = parseRoutePattern(pattern);
    if (typeof parsed === 'string') return `https://${pattern.replace(/\*$/, '')}`;
    return `https://${parsed.host}${parsed.pathPrefix}/`;
  });
  if (config.customDomain !== undefined) urls.push(`https://${config.customDomain}/`);
  if (config.workersDev && config.workersDevSubdomain !== undefined) urls.push(`https://${config.workerName}.${config.workersDevSubdomain}.workers.dev/`);
  return urls;
}

/** Terraform output names allow letters, digits, `_` and `-`, starting with a letter or `_`. */
function outputName(text: string): string {
  const slug = text.replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z_]/.test(slug) ? slug : `_${slug}`;
}

/**
 * Two deployments in one stack must not claim the same Worker name, route pattern or hostname;
 * one validation per stack compares them all when the tree is complete.
 */
function registerClaimsCheck(deployment: ModelEdgeDeployment): void {
  const stack = TerraformStack.of(deployment);
  if (STACKS_WITH_CLAIMS_CHECK.has(stack)) return;
  STACKS_WITH_CLAIMS_CHECK.add(stack);
  stack.node.addValidation(new UniqueClaimsValidation(stack));
}

class UniqueClaimsValidation implements IValidation {
  constructor(private readonly stack: TerraformStack) {}

  validate(): string[] {
    const deployments = this.stack.node.findAll().filter(ModelEdgeDeployment.isModelEdgeDeployment);
    const owners = new Map<string, { model: string; field: string }>();
    const errors: string[] = [];
    const claim = (kind: string, value: string, model: string, field: string, fix: string) => {
      const key = `${kind}:${value.toLowerCase()}`;
      const owner = owners.get(key);
      if (owner) {
        errors.push(formatProblem(configProblem(model, field, `the ${kind} "${value}" is already claimed by model "${owner.model}" (${owner.field})`, fix)));
      } else {
        owners.set(key, { model, field });
      }
    };
    for (const d of deployments) {
      const c = d.config;
      claim('Worker name', c.workerName, c.modelName, 'workerName', 'give each model its own workerName');
      c.routes.forEach((p, i) => claim('route pattern', p, c.modelName, `routes[${i}]`, 'give each model its own route pattern, e.g. a different path'));
      if (c.customDomain !== undefined) claim('hostname', c.customDomain, c.modelName, 'customDomain', 'give each model its own customDomain hostname');
    }
    return errors;
  }
}
