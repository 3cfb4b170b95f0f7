jest.mock('../../lib/model-build', () => require('./fixtures/fake-build').fakeModelBuild);

import { mkdirSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CloudBackend, LocalBackend, Testing, TerraformStack } from 'cdktf';
import { ModelEdgeStack, addModelEdgeStacks, chooseBackend, environmentsFrom } from '../../lib/stack';
import { readModelFolder } from '../../lib/model-settings';
import { ACCOUNT } from './fixtures/stacks';
import { writeTinyModel } from './fixtures/tiny-model';

const modelsDir = path.join(os.tmpdir(), `model-edge-stack-models-${process.pid}`);
function modelFolder(name: string, settings: object) {
  const dir = path.join(modelsDir, name);
  writeTinyModel(dir, 'model.onnx', name.length);
  writeFileSync(path.join(dir, 'deployment.json'), JSON.stringify(settings));
  return dir;
}
modelFolder('iris', {
  routes: ['api.{zone}/models/iris/*'],
  environments: { staging: { routes: ['staging.{zone}/models/iris/*'], cache: { ttlSeconds: 5 } } },
});
modelFolder('digits', {
  versions: [{ label: 'v1', model: 'model.onnx' }, { label: 'v2', model: 'model.onnx', percentage: 10 }],
  customDomain: 'digits.{zone}',
  apiKeySha256Variable: 'digits_api_key_sha256',
  plan: 'paid',
  cpuMs: 100,
});

const synthStack = (env: Record<string, string> = {}, environment?: string) => {
  const stack = new ModelEdgeStack(Testing.app(), environment ? `model-edge-${environment}` : 'model-edge', { modelsDir, env, environment });
  return { stack, json: JSON.parse(Testing.synth(stack, true)) };
};

describe('ModelEdgeStack', () => {
  it('matches the full-stack snapshot', () => {
    expect(synthStack().json).toMatchSnapshot();
  });

  it('has one deployment per model folder, account and zone as variables, key hashes from a sensitive variable', () => {
    const { stack, json } = synthStack();
    expect(stack.deployments.map((d) => d.config.modelName)).toEqual(['digits', 'iris']);
    expect(Object.keys(json.variable).sort()).toEqual(['cloudflare_account_id', 'cloudflare_zone_name', 'digits_api_key_sha256']);
    expect(json.variable.digits_api_key_sha256).toMatchObject({ sensitive: true, type: 'list(string)' });
    const routes = Object.values<any>(json.resource.cloudflare_workers_route);
    expect(routes[0].pattern).toBe('api.${var.cloudflare_zone_name}/models/iris/*');
    expect(json.data.cloudflare_zone).toBeDefined();
  });

  it('takes account and zone from the environment at synth time, then checks routes against the zone', () => {
    const { json } = synthStack({ CLOUDFLARE_ACCOUNT_ID: ACCOUNT, CLOUDFLARE_ZONE_NAME: 'example.com' });
    expect(json.variable?.cloudflare_account_id).toBeUndefined();
    expect(Object.values<any>(json.resource.cloudflare_workers_route)[0].pattern).toBe('api.example.com/models/iris/*');
    expect(json.output.iris_endpoint_urls.value).toEqual(['https://api.example.com/models/iris/']);
  });

  it('uses a local backend with a relative state path by default', () => {
    const { json } = synthStack();
    expect(json.terraform.backend).toEqual({ local: { path: '../../../terraform.model-edge.tfstate' } });
  });

  it('uses Terraform Cloud when organization and workspace are set', () => {
    const { json } = synthStack({ TFC_ORGANIZATION: 'acme', TFC_WORKSPACE: 'models' });
    expect(json.terraform.cloud).toEqual({ organization: 'acme', workspaces: { name: 'models' } });
    expect(json.terraform.backend).toBeUndefined();
  });

  it('needs both organization and workspace for Terraform Cloud', () => {
    const stack = new TerraformStack(new App(), 's');
    expect(chooseBackend(stack, 's', { TFC_ORGANIZATION: 'acme' })).toBeInstanceOf(LocalBackend);
    expect(chooseBackend(new TerraformStack(new App(), 't'), 't', { TFC_ORGANIZATION: 'acme', TFC_WORKSPACE: 'w' }, 'staging')).toBeInstanceOf(CloudBackend);
  });

  it('applies environment overrides and suffixes Worker names and workspaces per environment', () => {
    const { json } = synthStack({ TFC_ORGANIZATION: 'acme', TFC_WORKSPACE: 'models' }, 'staging');
    expect(json.terraform.cloud.workspaces).toEqual({ name: 'models-staging' });
    const workers = Object.values<any>(json.resource.cloudflare_worker).map((w) => w.name).sort();
    expect(workers).toEqual(['model-edge-digits-staging', 'model-edge-iris-staging']);
    expect(Object.values<any>(json.resource.cloudflare_workers_route)[0].pattern).toBe('staging.${var.cloudflare_zone_name}/models/iris/*');
  });

  it('synthesizes one stack per environment listed in MODEL_EDGE_ENVIRONMENTS', () => {
    const app = Testing.app();
    const stacks = addModelEdgeStacks(app, { modelsDir, env: { MODEL_EDGE_ENVIRONMENTS: 'staging, production' } });
    expect(stacks.map((s) => s.node.id)).toEqual(['model-edge-staging', 'model-edge-production']);
    expect(addModelEdgeStacks(Testing.app(), { modelsDir, env: {} }).map((s) => s.node.id)).toEqual(['model-edge']);
  });

  it('gives key-hash variables no default and validations, so a plan without keys fails', () => {
    const { json } = synthStack();
    const v = json.variable.digits_api_key_sha256;
    expect(v.default).toBeUndefined();
    expect(v.validation.map((x: any) => x.condition)).toEqual([
      '${can(regex("^(?:[0-9a-f]{64}(?:,[0-9a-f]{64})*)?$", join(",", var.digits_api_key_sha256)))}',
      '${(length(var.digits_api_key_sha256) >= 1)}',
    ]);
  });

  it('takes a hooks module from deployment.json, relative to the model folder', () => {
    const dir = modelFolder('hooked', { workersDev: true, hooks: { entry: 'edge-hooks.ts' }, allowNoKeys: true, apiKeySha256Variable: 'hooked_keys' });
    writeFileSync(path.join(dir, 'edge-hooks.ts'), 'export default {};\n');
    try {
      const { stack, json } = synthStack();
      expect(stack.deployments.find((d) => d.config.modelName === 'hooked')?.config.hooksEntry).toBe(path.join(dir, 'edge-hooks.ts'));
      expect(json.variable.hooked_keys.validation).toHaveLength(1); // allowNoKeys: an empty list is accepted
    } finally {
      require('fs').rmSync(dir, { recursive: true });
    }
  });

  it('rejects a malformed environment list', () => expect(() => environmentsFrom({ MODEL_EDGE_ENVIRONMENTS: 'Prod!' })).toThrow(/MODEL_EDGE_ENVIRONMENTS lists "Prod!", which is not an environment name/));
  it('rejects an empty models folder', () => expect(() => new ModelEdgeStack(Testing.app(), 's', { modelsDir: path.join(modelsDir, 'none'), env: {} })).toThrow(/No model folders in .*Fix: add models\/<name>\/deployment.json/));
});

describe('deployment.json', () => {
  const folder = (settings: unknown) => {
    const dir = path.join(os.tmpdir(), `model-edge-settings-${process.pid}`, 'm');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'deployment.json'), typeof settings === 'string' ? settings : JSON.stringify(settings));
    return dir;
  };
  it('defaults to one version v1 of model.onnx in the folder', () => expect(readModelFolder(folder({ workersDev: true })).versions).toEqual([{ label: 'v1', modelPath: path.join(path.dirname(folder({})), 'm', 'model.onnx') }]));
  it('merges an environment over the top level, nested objects one level deep', () => expect(readModelFolder(folder({ cache: { enabled: true, ttlSeconds: 60 }, environments: { staging: { cache: { ttlSeconds: 5 } } } }), 'staging').settings.cache).toEqual({ enabled: true, ttlSeconds: 5 }));
  it('rejects JSON that does not parse', () => expect(() => readModelFolder(folder('{ routes: '))).toThrow(/model "m", field deployment.json: .* cannot be read as JSON/));
  it('rejects an unknown setting (a typo)', () => expect(() => readModelFolder(folder({ route: ['x/*'] }))).toThrow(/model "m", field route: is not a known setting\. Fix: remove it or correct the spelling/));
  it('rejects a wrongly typed setting', () => expect(() => readModelFolder(folder({ workersDev: 'yes' }))).toThrow(/field workersDev: must be a boolean, not "yes"/));
  it('rejects a wrongly typed version field', () => expect(() => readModelFolder(folder({ versions: [{ label: 'v1', percentage: '10' }] }))).toThrow(/field versions\[0\]\.percentage: must be a number/));
  it('rejects both key hashes and a key variable', () => expect(() => readModelFolder(folder({ apiKeySha256: [], apiKeySha256Variable: 'k' }))).toThrow(/field apiKeySha256Variable: both apiKeySha256 and apiKeySha256Variable are set/));
  it('never echoes a mistyped key setting', () => expect(() => readModelFolder(folder({ apiKeySha256: 'sk_live_secret' }))).not.toThrow(/sk_live_secret/));
});
