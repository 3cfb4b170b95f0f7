/** Settings Terraform supplies at plan time: a rollout is a variable change, checked by preconditions. */
jest.mock('../../lib/model-build', () => require('./fixtures/fake-build').fakeModelBuild);

import { Testing, TerraformVariable } from 'cdktf';
import { ModelEdgeDeployment } from '../../lib/model-edge-deployment';
import { RolloutPercentage } from '../../lib/rollout';
import { parseModelConfig } from '../../worker/env';
import { modelV1, modelV2, newStack, validConfig } from './fixtures/stacks';

type Json = Record<string, any>;
const resources = (json: Json, type: string): Json[] => Object.values(json.resource?.[type] ?? {});

describe('a canary share from a Terraform variable', () => {
  const synth = () => {
    const stack = newStack();
    const canary = new RolloutPercentage(stack, 'iris_canary', { defaultPercentage: 10 });
    new ModelEdgeDeployment(stack, 'iris', validConfig({ versions: [{ label: 'stable', modelPath: modelV1 }, { label: 'canary', modelPath: modelV2, percentage: canary.numberValue }] }));
    return JSON.parse(Testing.synth(stack, true));
  };
  it('puts the variable and the rest of 100 into the deployment', () => {
    const [d] = resources(synth(), 'cloudflare_workers_deployment');
    expect(d.versions.map((v: Json) => v.percentage)).toEqual(['${(100 - var.iris_canary)}', '${var.iris_canary}']);
  });
  it('checks the share at plan time with preconditions and the variable\'s validation', () => {
    const json = synth();
    const [d] = resources(json, 'cloudflare_workers_deployment');
    expect(d.lifecycle.precondition.map((p: Json) => p.condition)).toEqual([
      '${((var.iris_canary >= 0.01) && (var.iris_canary <= 100))}',
      '${(((100 - var.iris_canary) >= 0.01) && ((100 - var.iris_canary) <= 100))}',
    ]);
    expect(json.variable.iris_canary.validation[0].condition).toBe('${((var.iris_canary >= 0.01) && (var.iris_canary <= 99.99))}');
  });
  it('leaves the Worker versions unchanged when the variable moves', () => {
    expect(resources(synth(), 'cloudflare_worker_version').some((v) => JSON.stringify(v).includes('iris_canary'))).toBe(false);
  });
  it('requires two expression shares to sum to 100 at plan time', () => {
    const stack = newStack();
    const a = new TerraformVariable(stack, 'a', { type: 'number' });
    new ModelEdgeDeployment(stack, 'iris', validConfig({ versions: [{ label: 's', modelPath: modelV1, percentage: a.numberValue }, { label: 'c', modelPath: modelV2, percentage: 10 }] }));
    const [d] = resources(JSON.parse(Testing.synth(stack, true)), 'cloudflare_workers_deployment');
    expect(d.lifecycle.precondition.map((p: Json) => p.condition)).toContain('${((var.a + 10) == 100)}');
  });
});

describe('other settings from Terraform', () => {
  it('splices number and list expressions into MODEL_CONFIG and checks them at plan time', () => {
    const stack = newStack();
    const ttl = new TerraformVariable(stack, 'ttl', { type: 'number' });
    const origins = new TerraformVariable(stack, 'origins', { type: 'list(string)' });
    new ModelEdgeDeployment(stack, 'iris', validConfig({ cache: { ttlSeconds: ttl.numberValue }, cors: { allowOrigins: origins.listValue }, compatibilityDate: new TerraformVariable(stack, 'date', { type: 'string' }).stringValue }));
    const [version] = resources(JSON.parse(Testing.synth(stack, true)), 'cloudflare_worker_version');
    const text: string = version.bindings[0].text;
    expect(text).toContain('"ttlSeconds":${jsonencode(var.ttl)}');
    expect(text).toContain('"allowOrigins":${jsonencode(var.origins)}');
    expect(version.compatibility_date).toBe('${var.date}');
    expect(version.lifecycle.precondition.map((p: Json) => p.error_message).join('\n')).toMatch(/compatibilityDate[\s\S]*cache.ttlSeconds must be a whole number >= 1[\s\S]*cors.allowOrigins/);
    // HCL strings know no `\d`: every regex backslash reaches Terraform doubled.
    const originsCheck = version.lifecycle.precondition.find((p: Json) => p.error_message.includes('allowOrigins')).condition as string;
    expect(originsCheck).toContain('(?::\\\\d{1,5})');
    expect(originsCheck).not.toMatch(/(^|[^\\])\\[d*/]/);
    // With the expressions rendered, the Worker accepts the text.
    expect(parseModelConfig(text.replace('${jsonencode(var.ttl)}', '60').replace('${jsonencode(var.origins)}', '["https://a.example.com"]')).cache.ttlSeconds).toBe(60);
  });
  it('refuses an expression where a literal is needed, in plain words', () => {
    const stack = newStack();
    const label = new TerraformVariable(stack, 'label', { type: 'string' });
    const error = () => new ModelEdgeDeployment(stack, 'iris', validConfig({ versions: [{ label: label.stringValue, modelPath: modelV1 }] }));
    expect(error).toThrow(/field versions\[0\]\.label: versions\[0\]\.label cannot be a Terraform expression: it names the Worker version/);
    expect(error).not.toThrow(/TfToken|e\+\d{3}/);
  });
  it('refuses a model name that is an expression without printing token internals', () => {
    const stack = newStack();
    const name = new TerraformVariable(stack, 'name', { type: 'string' });
    const error = () => new ModelEdgeDeployment(stack, 'iris', validConfig({ modelName: name.stringValue }));
    expect(error).toThrow(/modelName cannot be a Terraform expression/);
    expect(error).not.toThrow(/TfToken/);
  });
});

describe('API keys from a Terraform list fail closed', () => {
  const keysVersion = (allowNoKeys?: boolean) => {
    const stack = newStack();
    const keys = new TerraformVariable(stack, 'keys', { type: 'list(string)', sensitive: true, default: [] });
    new ModelEdgeDeployment(stack, 'iris', validConfig({ apiKeySha256: keys.listValue, allowNoKeys }));
    return resources(JSON.parse(Testing.synth(stack, true)), 'cloudflare_worker_version')[0];
  };
  it('an empty list fails the plan', () => expect(keysVersion().lifecycle.precondition.map((p: Json) => p.condition)).toContain('${(length(var.keys) >= 1)}'));
  it('unless the deployment allows no keys', () => expect(keysVersion(true).lifecycle.precondition.map((p: Json) => p.condition)).not.toContain('${(length(var.keys) >= 1)}'));
  // An empty list that reaches the Worker anyway is answered 503 there, never served.
  it('tells the Worker keys are required', () => expect(keysVersion().bindings[0].text).toContain('"required":true'));
  it('but not when the deployment allows no keys', () => expect(keysVersion(true).bindings[0].text).not.toContain('"required"'));
});
