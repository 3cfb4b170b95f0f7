/**
 * ModelEdgeDeployment: one model served from a Cloudflare Worker.
 *
 * Creates the Worker, one Worker version per model version (the bundled runtime, the compiled
 * model and the WebAssembly kernels as modules), a percentage deployment, the routes and/or custom
 * domain, and outputs named from the construct path. Zone lookups and file assets are shared per
 * stack (stack-shared.ts). It never creates the provider.
 */
import { accessSync, constants as fsConstants, statSync } from 'fs';
import { Construct } from 'constructs';
import { AssetType, TerraformAsset, TerraformOutput, TerraformStack } from 'cdktf';
import { DataCloudflareZone } from '@cdktf/provider-cloudflare/lib/data-cloudflare-zone';
import { Worker } from '@cdktf/provider-cloudflare/lib/worker';
import { WorkerVersion, WorkerVersionBindings, WorkerVersionModules } from '@cdktf/provider-cloudflare/lib/worker-version';
import { WorkersCustomDomain } from '@cdktf/provider-cloudflare/lib/workers-custom-domain';
import { WorkersDeployment } from '@cdktf/provider-cloudflare/lib/workers-deployment';
import { WorkersRoute } from '@cdktf/provider-cloudflare/lib/workers-route';
import { Ruleset } from '@cdktf/provider-cloudflare/lib/ruleset';
import { ExtraBinding, ModelEdgeDeploymentConfig, PLAN_SIZE_LIMIT_BYTES, ResolvedDeploymentConfig, parseRoutePattern, resolveDeploymentConfig } from './deployment-config';
import { ConfigProblem, configProblem, inStack, throwIfProblems } from './errors';
import { BuiltBundle, BuiltModel, buildModelArtifact, buildWorkerBundle, defaultBuildDir, findKernelsWasm } from './model-build';
import { WEIGHTS_BINDING, checkModelFits, checkScriptSize, placeWeights } from './model-weights';
import { modelConfigText } from './model-config-binding';
import { writeOpenApiAtSynth } from './openapi-files';
import { StackShared } from './stack-shared';
import { metricsBindings } from './metrics-binding';
import { registerClaimsCheck } from './unique-claims';

/** Module names inside the Worker; worker/index.ts imports './model.bin' and './kernels.wasm'. */
export const WORKER_MODULE = 'worker.js';
export const MODEL_MODULE = 'model.bin';
export const KERNELS_MODULE = 'kernels.wasm';

/** One deployed model version. */
export interface ModelEdgeVersion {
  readonly label: string;
  /** Share of traffic in percent (may be a Terraform expression). */
  readonly percentage: number;
  /** The `cloudflare_worker_version` that carries this model version. */
  readonly workerVersion: WorkerVersion;
  /** Hex SHA-256 of the compiled model artifact (the `model.bin` module). */
  readonly modelSha256: string;
  /** Hex SHA-256 of the source model file. */
  readonly sourceSha256: string;
  /** Number of weight shards in the version's static assets (0: the weights are in the script). */
  readonly weightShards: number;
}

const DEPLOYMENT_SYMBOL = Symbol.for('model-edge.ModelEdgeDeployment');
const OUTPUT_NAMES = new WeakMap<TerraformStack, Map<string, string>>();

export class ModelEdgeDeployment extends Construct {
  /** True when `x` is a ModelEdgeDeployment (also across copies of this package). */
  static isModelEdgeDeployment(x: any): x is ModelEdgeDeployment {
    return typeof x === 'object' && x !== null && DEPLOYMENT_SYMBOL in x;
  }

  /** The configuration with every default filled in. */
  readonly config: ResolvedDeploymentConfig;
  readonly workerName: string;
  readonly worker: Worker;
  /** One entry per model version, in the order of `config.versions`. */
  readonly versions: ModelEdgeVersion[];
  readonly deployment: WorkersDeployment;
  /** The zone lookup (shared by the stack's deployments), when the zone is given by name and routes or a custom domain need it. */
  readonly zone?: DataCloudflareZone;
  /** The zone id used by routes and the custom domain (may be a token). */
  readonly zoneId?: string;
  readonly routes: WorkersRoute[];
  readonly customDomain?: WorkersCustomDomain;
  /** Base URLs of the API (may contain tokens when the zone name is a variable). */
  readonly endpoints: string[];
  /** The zone's `http_ratelimit` ruleset (shared by the stack's models in that zone) this deployment added its rule to, when `rateLimit` is set. */
  readonly rateLimitRuleset?: Ruleset;
  /** The Worker code every version uploads: its ES modules, with the kernels the versions' models use. */
  readonly workerBundle: BuiltBundle;

  constructor(scope: Construct, id: string, config: ModelEdgeDeploymentConfig) {
    super(scope, id);
    Object.defineProperty(this, DEPLOYMENT_SYMBOL, { value: true });
    const stack = TerraformStack.of(this);

    const { resolved, problems, checks } = resolveDeploymentConfig(config, { stackName: stack.node.id });
    const buildDir = config.buildDir ?? defaultBuildDir();
    const built = buildModels(resolved, buildDir, problems);
    this.workerBundle = buildWorkerBundle(buildDir, { ops: built.flatMap((m) => m?.ops ?? []), hooksEntry: hooksEntryOf(resolved, problems) });
    const kernels = findKernelsWasm();
    if (!kernels && this.workerBundle.externalImports.includes(`./${KERNELS_MODULE}`)) {
      throw new Error(`The Worker imports ./${KERNELS_MODULE}, but worker/wasm/${KERNELS_MODULE} has not been built. Fix: run \`node scripts/build-wasm.mjs\` (or reinstall model-edge).`);
    }
    const models = placeWeights(resolved, this.workerBundle.gzipBytes + (kernels?.gzipBytes ?? 0), built, buildDir);
    checkScriptSize(resolved, this.workerBundle, kernels, models, problems);
    checkModelFits(resolved, resolved.versions.map((v) => v.label), models, problems, (line) => console.log(line));
    throwIfProblems(inStack(problems, stack.node.id));

    this.config = resolved;
    this.workerName = resolved.workerName;
    const shared = StackShared.of(this);

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

    const workerAsset = shared.asset(this.workerBundle.directory, 'WorkerCode', AssetType.DIRECTORY);
    const kernelsAsset = kernels && shared.asset(kernels.path, 'Kernels');

    this.versions = resolved.versions.map((v, i) => {
      const model = models[i] as BuiltModel;
      const modelAsset = shared.asset(model.path, 'Model');
      const modules: WorkerVersionModules[] = [
        ...this.workerBundle.modules.map((m) => ({ name: m.name, contentType: 'application/javascript+module', contentFile: `${workerAsset.path}/${m.name}` })),
        { name: MODEL_MODULE, contentType: 'application/octet-stream', contentFile: modelAsset.path },
      ];
      if (kernelsAsset) modules.push({ name: KERNELS_MODULE, contentType: 'application/wasm', contentFile: kernelsAsset.path });
      // Weights as the version's own static assets: a canary and its stable version each carry theirs.
      const weightsAsset = model.weights && new TerraformAsset(this, `Weights-${v.label}`, { path: model.weights.directory, type: AssetType.DIRECTORY });
      const workerVersion = new WorkerVersion(this, `Version-${v.label}`, {
        accountId: resolved.accountId,
        workerId: this.worker.id,
        mainModule: WORKER_MODULE,
        modules,
        // MODEL_CONFIG stays plain_text: provider 5.14 fails applies of secret_text bindings (see SECURITY.md).
        bindings: [
          { name: 'MODEL_CONFIG', type: 'plain_text', text: modelConfigText(resolved, v.label) },
          { name: 'CF_VERSION_METADATA', type: 'version_metadata' },
          ...metricsBindings(resolved),
          ...(weightsAsset ? [{ name: WEIGHTS_BINDING, type: 'assets' }] : []),
          ...resolved.bindings.map(providerBinding),
        ],
        assets: weightsAsset ? { directory: weightsAsset.path } : undefined,
        compatibilityDate: resolved.compatibilityDate,
        compatibilityFlags: resolved.compatibilityFlags,
        limits: resolved.cpuMs !== undefined ? { cpuMs: resolved.cpuMs } : undefined,
        annotations: {
          workersTag: v.label,
          workersMessage: `${resolved.modelName} ${v.label} model sha256:${model.sha256} worker sha256:${this.workerBundle.sha256}`,
        },
        lifecycle: checks.version.length > 0 ? { precondition: checks.version } : undefined,
      });
      // run_worker_first: every request reaches the Worker (which has no route to a shard), so no
      // weight file is public. An override: the provider binding types this field as a map.
      if (weightsAsset) workerVersion.addOverride('assets.config.run_worker_first', true);
      return { label: v.label, percentage: v.percentage, workerVersion, modelSha256: model.sha256, sourceSha256: model.sourceSha256, weightShards: model.weights?.shards ?? 0 };
    });

    this.deployment = new WorkersDeployment(this, 'Deployment', {
      accountId: resolved.accountId,
      scriptName: this.worker.name,
      strategy: 'percentage',
      versions: this.versions.map((v) => ({ versionId: v.workerVersion.id, percentage: v.percentage })),
      annotations: { workersMessage: `${resolved.modelName}: ${this.versions.map((v) => v.label).join(', ')}` },
      lifecycle: checks.deployment.length > 0 ? { precondition: checks.deployment } : undefined,
    });

    const needsZone = resolved.routes.length > 0 || resolved.customDomain !== undefined;
    if (needsZone && resolved.zoneId === undefined && resolved.zoneName !== undefined) {
      this.zone = shared.zone(resolved.zoneName, resolved.zoneLookupByAccount ? resolved.accountId : undefined);
    }
    this.zoneId = resolved.zoneId ?? this.zone?.id;

    // Routes are keyed by pattern, so reordering them changes nothing; like the custom domain they
    // wait for the deployment, so traffic never reaches a Worker without a version.
    this.routes = resolved.routes.map(
      (pattern) =>
        new WorkersRoute(this, routeId(pattern), { zoneId: this.zoneId as string, pattern, script: this.worker.name, dependsOn: [this.deployment] }),
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

    if (resolved.rateLimit !== undefined && this.zoneId !== undefined) {
      const zoneKey = resolved.zoneId ?? `${resolved.zoneName}\n${resolved.zoneLookupByAccount ? resolved.accountId : ''}`;
      const zoneRateLimits = shared.rateLimits(zoneKey, this.zoneId);
      zoneRateLimits.addRule({ modelName: resolved.modelName, workerName: resolved.workerName, path: this.node.path }, resolved.rateLimit);
      this.rateLimitRuleset = zoneRateLimits.ruleset;
    }

    this.endpoints = endpointUrls(resolved);
    writeOpenApiAtSynth(this, resolved, resolved.versions.map((v, i) => ({ label: v.label, artifactPath: (models[i] as BuiltModel).path })), () => this.endpoints);
    if (resolved.outputs) this.addOutputs(stack);
    registerClaimsCheck(this, ModelEdgeDeployment.isModelEdgeDeployment);
  }

  /** Outputs named from the construct path below the stack (`teamA/iris` -> `teamA_iris_*`), unique in the stack. */
  private addOutputs(stack: TerraformStack): void {
    const scopes = this.node.scopes;
    const prefix = outputName(scopes.slice(scopes.indexOf(stack) + 1).map((s) => s.node.id).join('_'));
    const names = OUTPUT_NAMES.get(stack) ?? new Map<string, string>();
    OUTPUT_NAMES.set(stack, names);
    const output = (suffix: string, value: unknown, description?: string) => {
      const name = `${prefix}_${suffix}`;
      const owner = names.get(name);
      if (owner !== undefined) {
        throw new Error(formatOutputClash(this.config.modelName, stack.node.id, name, owner));
      }
      names.set(name, this.node.path);
      new TerraformOutput(this, name, { value, staticId: true, ...(description ? { description } : {}) });
    };
    output('endpoint_urls', [...this.endpoints], `Base URLs of the ${this.config.modelName} API (POST <url>v2/models/${this.config.modelName}/infer)`);
    output('worker_name', this.worker.name);
    for (const v of this.versions) {
      output(`version_${outputName(v.label)}_model_sha256`, v.modelSha256, `SHA-256 of the compiled model artifact of version ${v.label}`);
    }
  }
}

function formatOutputClash(model: string, stack: string, name: string, owner: string): string {
  return `stack "${stack}", model "${model}", field outputs: the output name "${name}" is already used by ${owner}. Fix: give one of the deployments another construct id, or set outputs: false on one of them and add your own outputs`;
}

/** Compiles each version's model; missing, unreadable, non-file and unsupported models become problems. */
function buildModels(config: ResolvedDeploymentConfig, buildDir: string, problems: ConfigProblem[]): Array<BuiltModel | undefined> {
  return config.versions.map((v, i) => {
    const field = `versions[${i}].modelPath`;
    if (typeof v.modelPath !== 'string' || v.modelPath === '') return undefined;
    const fileProblem = modelFileProblem(v.modelPath);
    if (fileProblem) {
      problems.push(configProblem(config.modelName, field, fileProblem.what, fileProblem.fix));
      return undefined;
    }
    try {
      return buildModelArtifact(v.modelPath, buildDir, { precision: config.weights.precision === 'int8' ? 'int8' : 'float32' });
    } catch (e) {
      const err = e as Error & { problems?: readonly string[] };
      const details = Array.isArray(err.problems) && err.problems.length > 0 ? err.problems.join('; ') : err.message;
      problems.push(configProblem(config.modelName, field, `the model ${v.modelPath} cannot be compiled: ${details}`, 'export the model again with supported operators, or point modelPath at another model'));
      return undefined;
    }
  });
}

function modelFileProblem(modelPath: string): { what: string; fix: string } | undefined {
  try {
    if (statSync(modelPath).isDirectory()) {
      return { what: `${modelPath} is a directory, not a model file`, fix: 'point modelPath at the .onnx file inside it, e.g. "models/iris/model.onnx"' };
    }
    accessSync(modelPath, fsConstants.R_OK);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? { what: `the model file ${modelPath} does not exist`, fix: 'point modelPath at the .onnx file (relative paths start at the working directory), or create it' }
      : { what: `the model file ${modelPath} cannot be read (${code})`, fix: 'make the file readable by the user running synth' };
  }
}

/** The hooks module, when it is a readable file; otherwise a problem. */
function hooksEntryOf(config: ResolvedDeploymentConfig, problems: ConfigProblem[]): string | undefined {
  const entry = config.hooksEntry;
  if (entry === undefined) return undefined;
  try {
    if (statSync(entry).isFile()) return entry;
  } catch {
    // reported below
  }
  problems.push(configProblem(config.modelName, 'hooks.entry', `the hooks module ${entry} is not a file`, 'point hooks.entry at your .ts or .js module (relative paths start at the working directory)'));
  return undefined;
}

function providerBinding(b: ExtraBinding): WorkerVersionBindings {
  return { name: b.name, type: b.type, text: b.text, namespaceId: b.namespaceId, service: b.service, bucketName: b.bucketName, id: b.id, queueName: b.queueName };
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

/** A construct id from a route pattern: token markers become `var`, other characters `_`. */
function routeId(pattern: string): string {
  return `Route-${pattern.replace(/\$\{[^}]*\}/g, 'var').replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** Terraform output names allow letters, digits, `_` and `-`, starting with a letter or `_`. */
function outputName(text: string): string {
  const slug = text.replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z_]/.test(slug) ? slug : `_${slug}`;
}
