/**
 * The project's stack: the Cloudflare provider, the account and zone as Terraform variables, a
 * backend, and one ModelEdgeDeployment per model folder. `addModelEdgeStacks` adds one such stack
 * per environment.
 */
import * as path from 'path';
import { Construct } from 'constructs';
import { CloudBackend, Fn, LocalBackend, NamedCloudWorkspace, Op, TerraformBackend, TerraformStack, TerraformVariable } from 'cdktf';
import { CloudflareProvider } from '@cdktf/provider-cloudflare/lib/provider';
import { everyEntry } from './config/tokens';
import { ModelEdgeDeployment } from './model-edge-deployment';
import { ModelFolder, listModelFolders, readModelFolder } from './model-settings';

/** Environment variables read at synth time (process.env by default). */
export type SynthEnvironment = Readonly<Record<string, string | undefined>>;

export interface ModelEdgeStackProps {
  /** Folder holding one sub-folder per model, each with a deployment.json. */
  readonly modelsDir: string;
  /** Environment name (e.g. "staging"): selects the `environments` overrides and suffixes default Worker names. @default - none (no suffix) */
  readonly environment?: string;
  /** Synth-time settings (CLOUDFLARE_ACCOUNT_ID, TFC_WORKSPACE...). @default process.env */
  readonly env?: { [name: string]: string };
  /** Directory for built bundles and artifacts. @default - see ModelEdgeDeploymentConfig.buildDir */
  readonly buildDir?: string;
}

export const ACCOUNT_ID_VARIABLE = 'cloudflare_account_id';
export const ZONE_NAME_VARIABLE = 'cloudflare_zone_name';
const ZONE_PLACEHOLDER = /\{zone\}/g;

export class ModelEdgeStack extends TerraformStack {
  readonly provider: CloudflareProvider;
  readonly backend: TerraformBackend;
  /** Account id: the CLOUDFLARE_ACCOUNT_ID value at synth time, else the variable's value. */
  readonly accountId: string;
  /** Zone name: the CLOUDFLARE_ZONE_NAME value at synth time, else the variable's value (created only when a model needs a zone). */
  readonly zoneName?: string;
  readonly deployments: ModelEdgeDeployment[];

  constructor(scope: Construct, id: string, props: ModelEdgeStackProps) {
    super(scope, id);
    const env = props.env ?? process.env;
    this.provider = new CloudflareProvider(this, 'cloudflare', {});
    this.backend = chooseBackend(this, id, env, props.environment);

    const folders = listModelFolders(props.modelsDir).map((name) => readModelFolder(path.join(props.modelsDir, name), props.environment));
    if (folders.length === 0) {
      throw new Error(`No model folders in ${props.modelsDir}. Fix: add models/<name>/deployment.json next to the model file (see docs/deployment-settings.md).`);
    }

    this.accountId =
      nonEmpty(env.CLOUDFLARE_ACCOUNT_ID) ??
      new TerraformVariable(this, ACCOUNT_ID_VARIABLE, { type: 'string', description: 'Cloudflare account id (32 hex digits)' }).stringValue;
    const needsZone = folders.some((f) => (f.settings.routes ?? []).length > 0 || f.settings.customDomain !== undefined);
    const zoneId = nonEmpty(env.CLOUDFLARE_ZONE_ID);
    if (needsZone) {
      this.zoneName =
        nonEmpty(env.CLOUDFLARE_ZONE_NAME) ??
        new TerraformVariable(this, ZONE_NAME_VARIABLE, { type: 'string', description: 'Zone (domain) that carries the model routes, e.g. example.com' }).stringValue;
    }

    const keyVariables = new Map<string, TerraformVariable>();
    const keyVariable = (name: string, allowNoKeys: boolean) => {
      let v = keyVariables.get(name);
      if (!v) {
        v = keyHashVariable(this, name, allowNoKeys);
        keyVariables.set(name, v);
      }
      return v.listValue;
    };

    this.deployments = folders.map((f) => this.addModel(f, props, keyVariable, zoneId));
  }

  private addModel(f: ModelFolder, props: ModelEdgeStackProps, keyVariable: (name: string, allowNoKeys: boolean) => string[], zoneId?: string): ModelEdgeDeployment {
    const s = f.settings;
    const withZone = (text: string) => (this.zoneName !== undefined ? text.replace(ZONE_PLACEHOLDER, this.zoneName) : text);
    const modelName = s.modelName ?? f.name;
    const allowNoKeys = s.allowNoKeys ?? false;
    return new ModelEdgeDeployment(this, f.name, {
      modelName,
      accountId: this.accountId,
      versions: f.versions.map((v) => ({ ...v })),
      // One stack without environments names Workers model-edge-<model>; with environments the name carries it.
      environment: props.environment ?? '',
      workerName: s.workerName,
      zoneName: this.zoneName,
      zoneId,
      routes: s.routes?.map(withZone),
      customDomain: s.customDomain !== undefined ? withZone(s.customDomain) : undefined,
      workersDev: s.workersDev,
      workersDevSubdomain: s.workersDevSubdomain,
      pathPrefix: s.pathPrefix,
      compatibilityDate: s.compatibilityDate,
      compatibilityFlags: s.compatibilityFlags,
      cpuMs: s.cpuMs,
      plan: s.plan,
      limits: s.limits,
      weights: s.weights,
      cache: s.cache,
      cors: s.cors,
      observability: s.observability,
      apiKeySha256: s.apiKeySha256Variable !== undefined ? keyVariable(s.apiKeySha256Variable, allowNoKeys) : s.apiKeySha256,
      allowNoKeys,
      rateLimit: s.rateLimit,
      metrics: s.metrics,
      hooks: s.hooks !== undefined ? { entry: path.resolve(f.folder, s.hooks.entry) } : undefined,
      buildDir: props.buildDir,
    });
  }
}

/**
 * The sensitive variable that supplies a model's key hashes. It has no default, so Terraform refuses
 * to plan until the workspace sets it; its validation rejects entries that are not SHA-256 hex (a raw
 * key pasted by mistake) and, unless the model allows an open API, an empty list.
 */
function keyHashVariable(scope: Construct, name: string, allowNoKeys: boolean): TerraformVariable {
  const v = new TerraformVariable(scope, name, {
    type: 'list(string)',
    sensitive: true,
    description: 'SHA-256 hashes (hex) of the API keys accepted by the model; create with `npx model-edge keygen`',
  });
  v.addValidation({
    condition: Fn.can(Fn.regex(everyEntry('[0-9a-f]{64}'), Fn.join(',', v.listValue))),
    errorMessage: 'Every entry must be a SHA-256 hash (64 lower-case hex digits) from `npx model-edge keygen`, never the key itself.',
  });
  if (!allowNoKeys) {
    v.addValidation({
      condition: Op.gte(Fn.lengthOf(v.listValue), 1),
      errorMessage: 'The list is empty, which would leave the model open to everyone. Set at least one key hash, or set "allowNoKeys": true in the model\'s deployment.json.',
    });
  }
  return v;
}

/**
 * Terraform Cloud when TFC_ORGANIZATION and TFC_WORKSPACE are set (with several environments the
 * workspace is `<TFC_WORKSPACE>-<environment>`; TFC_HOSTNAME selects Terraform Enterprise), else a
 * local state file in the project folder, referenced by a relative path from the stack folder.
 */
export function chooseBackend(stack: TerraformStack, stackId: string, env: SynthEnvironment, environment?: string): TerraformBackend {
  const organization = nonEmpty(env.TFC_ORGANIZATION);
  const workspace = nonEmpty(env.TFC_WORKSPACE);
  if (organization && workspace) {
    return new CloudBackend(stack, {
      organization,
      workspaces: new NamedCloudWorkspace(environment ? `${workspace}-${environment}` : workspace),
      ...(nonEmpty(env.TFC_HOSTNAME) ? { hostname: env.TFC_HOSTNAME } : {}),
    });
  }
  // Terraform runs in cdktf.out/stacks/<stack>; three levels up is the project folder.
  return new LocalBackend(stack, { path: `../../../terraform.${stackId}.tfstate` });
}

/** Environments from MODEL_EDGE_ENVIRONMENTS (comma-separated); none means one stack without an environment. */
export function environmentsFrom(env: SynthEnvironment): string[] {
  const list = (env.MODEL_EDGE_ENVIRONMENTS ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '');
  for (const e of list) {
    if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(e)) {
      throw new Error(`MODEL_EDGE_ENVIRONMENTS lists "${e}", which is not an environment name. Fix: use lowercase letters, digits and "-", e.g. "staging,production".`);
    }
  }
  return [...new Set(list)];
}

/** Adds one ModelEdgeStack per environment: `model-edge` alone, or `model-edge-<environment>` each. @jsii ignore TypeScript-only helper */
export function addModelEdgeStacks(scope: Construct, props: Omit<ModelEdgeStackProps, 'environment'>): ModelEdgeStack[] {
  const environments = environmentsFrom(props.env ?? process.env);
  if (environments.length === 0) return [new ModelEdgeStack(scope, 'model-edge', props)];
  return environments.map((environment) => new ModelEdgeStack(scope, `model-edge-${environment}`, { ...props, environment }));
}

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}
