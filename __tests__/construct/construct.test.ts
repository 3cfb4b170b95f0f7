jest.mock('../../lib/model-build', () => require('./fixtures/fake-build').fakeModelBuild);
import 'cdktf/lib/testing/adapters/jest'; // types of the cdktf matchers (registered in __tests__/setup.ts)

import { Testing, TerraformVariable } from 'cdktf';
import { DataCloudflareZone } from '@cdktf/provider-cloudflare/lib/data-cloudflare-zone';
import { Worker } from '@cdktf/provider-cloudflare/lib/worker';
import { ModelEdgeDeployment } from '../../lib/model-edge-deployment';
import { parseModelConfig } from '../../worker/env';
import { ACCOUNT, ZONE_ID, modelV1, modelV2, newStack, validConfig } from './fixtures/stacks';

type Json = Record<string, any>;
const synth = (config = validConfig()) => {
  const stack = newStack();
  const deployment = new ModelEdgeDeployment(stack, 'iris', config);
  const out = Testing.synth(stack, true);
  return { stack, deployment, out, json: JSON.parse(out) as Json };
};
const resources = (json: Json, type: string): Json[] => Object.values(json.resource?.[type] ?? {});

describe('ModelEdgeDeployment resources', () => {
  it('creates one Worker with workers.dev off and observability on', () => {
    expect(synth().out).toHaveResourceWithProperties(Worker, {
      account_id: ACCOUNT,
      name: 'model-edge-iris-test',
      subdomain: { enabled: false, previews_enabled: false },
      observability: expect.objectContaining({ enabled: true, head_sampling_rate: 1 }),
    });
  });

  it('uploads the code modules, the model and the kernels as modules of one version', () => {
    const [version] = resources(synth().json, 'cloudflare_worker_version');
    expect(version.main_module).toBe('worker.js');
    expect(version.modules.map((m: Json) => [m.name, m.content_type])).toEqual([
      ['worker.js', 'application/javascript+module'],
      ['model-kernels.js', 'application/javascript+module'],
      ['model.bin', 'application/octet-stream'],
      ['kernels.wasm', 'application/wasm'],
    ]);
    for (const m of version.modules) expect(m.content_file).toMatch(/^assets\/.+/);
    expect(version.worker_id).toMatch(/^\$\{cloudflare_worker\.iris_Worker_[A-F0-9]+\.id\}$/);
  });

  it('binds MODEL_CONFIG as plain_text the Worker accepts, and the version metadata', () => {
    const [version] = resources(synth(validConfig({ cors: { allowOrigins: ['https://app.example.com'] } })).json, 'cloudflare_worker_version');
    const [config, metadata] = version.bindings;
    expect(config).toMatchObject({ name: 'MODEL_CONFIG', type: 'plain_text' });
    expect(metadata).toEqual({ name: 'CF_VERSION_METADATA', type: 'version_metadata' });
    const parsed = parseModelConfig(config.text);
    expect(parsed).toMatchObject({ name: 'iris', version: 'v1', versions: ['v1'], pathPrefix: '/models/iris' });
    expect(parsed.cors.allowOrigins).toEqual(['https://app.example.com']);
  });

  it('sets compatibility date and flags, and the CPU limit on the Paid plan', () => {
    const { json } = synth(validConfig({ compatibilityDate: '2025-01-15', compatibilityFlags: ['nodejs_compat'], plan: 'paid', cpuMs: 50 }));
    expect(resources(json, 'cloudflare_worker_version')[0]).toMatchObject({
      compatibility_date: '2025-01-15',
      compatibility_flags: ['nodejs_compat'],
      limits: { cpu_ms: 50 },
    });
  });

  it('splits traffic between a stable and a canary version, the canary share given once', () => {
    const { json, deployment } = synth(validConfig({ versions: [{ label: 'stable', modelPath: modelV1 }, { label: 'canary', modelPath: modelV2, percentage: 10 }] }));
    expect(resources(json, 'cloudflare_worker_version')).toHaveLength(2);
    const [d] = resources(json, 'cloudflare_workers_deployment');
    expect(d.strategy).toBe('percentage');
    expect(d.versions.map((v: Json) => v.percentage)).toEqual([90, 10]);
    expect(d.versions[0].version_id).toMatch(/^\$\{cloudflare_worker_version\..*Version-stable.*\.id\}$/);
    expect(deployment.versions.map((v) => v.modelSha256)).toHaveLength(2);
    expect(deployment.versions[0].modelSha256).not.toBe(deployment.versions[1].modelSha256);
  });

  it('changes only the deployment, not the Worker versions, when the canary share changes', () => {
    const canary = (percentage: number) =>
      synth(validConfig({ versions: [{ label: 'stable', modelPath: modelV1 }, { label: 'canary', modelPath: modelV2, percentage }] })).json;
    const [at10, at50] = [canary(10), canary(50)];
    expect(resources(at50, 'cloudflare_worker_version')).toEqual(resources(at10, 'cloudflare_worker_version'));
    expect(resources(at50, 'cloudflare_workers_deployment')).not.toEqual(resources(at10, 'cloudflare_workers_deployment'));
  });

  it('looks the zone up by name within the account and routes the pattern to the Worker', () => {
    const { out, json } = synth();
    expect(out).toHaveDataSourceWithProperties(DataCloudflareZone, { filter: { name: 'example.com', account: { id: ACCOUNT } } });
    const [route] = resources(json, 'cloudflare_workers_route');
    expect(route.pattern).toBe('api.example.com/models/iris/*');
    expect(route.script).toMatch(/^\$\{cloudflare_worker\.iris_Worker_[A-F0-9]+\.name\}$/);
    expect(route.zone_id).toMatch(/^\$\{data\.cloudflare_zone\..+\.id\}$/);
    expect(route.depends_on[0]).toMatch(/^cloudflare_workers_deployment\./);
  });

  it('uses an explicit zone id without a lookup, and serves a custom domain', () => {
    const { out, json } = synth(validConfig({ zoneName: undefined, zoneId: ZONE_ID, routes: [], customDomain: 'iris.example.com' }));
    expect(out).not.toHaveDataSource(DataCloudflareZone);
    expect(resources(json, 'cloudflare_workers_custom_domain')[0]).toMatchObject({ account_id: ACCOUNT, zone_id: ZONE_ID, hostname: 'iris.example.com' });
  });

  it('serves on workers.dev only when asked, without any zone', () => {
    const { out } = synth(validConfig({ zoneName: undefined, routes: [], workersDev: true, workersDevSubdomain: 'acme' }));
    expect(out).toHaveResourceWithProperties(Worker, { subdomain: { enabled: true, previews_enabled: false } });
    expect(out).not.toHaveDataSource(DataCloudflareZone);
    expect(JSON.parse(out).output.iris_endpoint_urls.value).toEqual(['https://model-edge-iris-test.acme.workers.dev/']);
  });

  it('has outputs with stable names: endpoints, Worker name, each version\'s model SHA-256', () => {
    const { json, deployment } = synth();
    expect(Object.keys(json.output).sort()).toEqual(['iris_endpoint_urls', 'iris_version_v1_model_sha256', 'iris_worker_name']);
    expect(json.output.iris_endpoint_urls.value).toEqual(['https://api.example.com/models/iris/']);
    expect(json.output.iris_version_v1_model_sha256.value).toBe(deployment.versions[0].modelSha256);
  });

  it('exposes its main children and never creates the provider', () => {
    const { deployment, json } = synth();
    expect(deployment.workerName).toBe('model-edge-iris-test');
    expect(deployment.worker).toBeInstanceOf(Worker);
    expect(deployment.routes).toHaveLength(1);
    expect(deployment.zone).toBeDefined();
    expect(deployment.node.findAll().some((c) => c.constructor.name === 'CloudflareProvider')).toBe(false);
    expect(Object.keys(json.provider)).toEqual(['cloudflare']);
  });

  it('takes API key hashes from a sensitive variable without their values in the output', () => {
    const stack = newStack();
    const keys = new TerraformVariable(stack, 'iris_keys', { type: 'list(string)', sensitive: true });
    new ModelEdgeDeployment(stack, 'iris', validConfig({ apiKeySha256: keys.listValue }));
    const [version] = resources(JSON.parse(Testing.synth(stack, true)), 'cloudflare_worker_version');
    expect(version.bindings[0].text).toContain('"auth":{"keySha256":${jsonencode(var.iris_keys)},"required":true}');
  });

  it('escapes Terraform template sequences in the settings text', () => {
    const [version] = resources(synth(validConfig({ modelName: 'iris', pathPrefix: '/models/iris' })).json, 'cloudflare_worker_version');
    expect(version.bindings[0].text).not.toMatch(/(^|[^$])\$\{/);
  });

  it('adds extra bindings after its own, for the hooks to read', () => {
    const [version] = resources(synth(validConfig({ bindings: [{ name: 'LABELS', type: 'plain_text', text: '["a","b"]' }, { name: 'CACHE', type: 'kv_namespace', namespaceId: 'abc' }] })).json, 'cloudflare_worker_version');
    expect(version.bindings.slice(2)).toEqual([{ name: 'LABELS', type: 'plain_text', text: '["a","b"]' }, { name: 'CACHE', type: 'kv_namespace', namespace_id: 'abc' }]);
  });

  it('refuses an extra binding named like its own', () => expect(() => synth(validConfig({ bindings: [{ name: 'MODEL_CONFIG', type: 'plain_text', text: 'x' }] }))).toThrow(/field bindings\[0\]\.name: the name MODEL_CONFIG is the construct's own binding/));

  it('refuses a hooks module that is not a file', () => expect(() => synth(validConfig({ hooks: { entry: '/nope/edge-hooks.ts' } }))).toThrow(/field hooks\.entry: the hooks module \/nope\/edge-hooks\.ts is not a file\. Fix: point hooks\.entry at your \.ts or \.js module/));
});
