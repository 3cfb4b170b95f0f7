jest.mock('../../lib/model-build', () => require('./fixtures/fake-build').fakeModelBuild);

import { Construct } from 'constructs';
import { Testing, TerraformStack, TerraformVariable } from 'cdktf';
import { CloudflareProvider } from '@cdktf/provider-cloudflare/lib/provider';
import { ModelEdgeDeployment } from '../../lib/model-edge-deployment';
import { defaultWorkerName } from '../../lib/deployment-config';
import { newStack, validConfig } from './fixtures/stacks';

type Json = Record<string, any>;
const stackIn = (app: Construct, id: string) => {
  const stack = new TerraformStack(app, id);
  new CloudflareProvider(stack, 'cloudflare', {});
  return stack;
};
const resources = (json: Json, type: string): Json[] => Object.values(json.resource?.[type] ?? {});

describe('one model in two environments', () => {
  it('derives distinct default Worker names from the stacks', () => {
    const app = Testing.app();
    const staging = new ModelEdgeDeployment(stackIn(app, 'ml-staging'), 'iris', validConfig({ routes: ['staging.example.com/models/iris/*'] }));
    const production = new ModelEdgeDeployment(stackIn(app, 'ml-production'), 'iris', validConfig());
    expect([staging.workerName, production.workerName]).toEqual(['model-edge-iris-ml-staging', 'model-edge-iris-ml-production']);
  });
  it('uses an explicit environment, and none with ""', () => {
    expect(new ModelEdgeDeployment(newStack(), 'iris', validConfig({ environment: 'staging' })).workerName).toBe('model-edge-iris-staging');
    expect(new ModelEdgeDeployment(newStack(), 'iris', validConfig({ environment: '' })).workerName).toBe('model-edge-iris');
  });
  it('keeps long default names unique when it shortens them', () => {
    const a = defaultWorkerName('m'.repeat(60), 'staging');
    const b = defaultWorkerName('m'.repeat(60), 'production');
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
  });
  it('refuses the same Worker name in two stacks of one App, naming both stacks', () => {
    const app = Testing.app();
    new ModelEdgeDeployment(stackIn(app, 'ml-staging'), 'iris', validConfig({ environment: '', routes: ['staging.example.com/models/iris/*'] }));
    const production = stackIn(app, 'ml-production');
    new ModelEdgeDeployment(production, 'iris', validConfig({ environment: '' }));
    expect(() => Testing.synth(production, true)).toThrow(/stack "ml-production", model "iris", field workerName: the Worker name "model-edge-iris" is already claimed by model "iris" in stack "ml-staging"/);
  });
  it('refuses a route equal to another model\'s custom domain', () => {
    const stack = newStack();
    new ModelEdgeDeployment(stack, 'iris', validConfig({ routes: [], customDomain: 'api.example.com' }));
    new ModelEdgeDeployment(stack, 'digits', validConfig({ modelName: 'digits', routes: ['api.example.com/models/digits/*'] }));
    expect(() => Testing.synth(stack, true)).toThrow(/model "digits", field routes\[0\]: the hostname "api.example.com" is already claimed by model "iris" \(customDomain\)/);
  });
  it('accepts a Worker name that is a Terraform expression', () => {
    const stack = newStack();
    const name = new TerraformVariable(stack, 'worker_name', { type: 'string' });
    new ModelEdgeDeployment(stack, 'iris', validConfig({ workerName: name.stringValue }));
    expect(resources(JSON.parse(Testing.synth(stack, true)), 'cloudflare_worker')[0].name).toBe('${var.worker_name}');
  });
});

describe('outputs', () => {
  it('are named from the construct path, so equal ids under different scopes never merge', () => {
    const stack = newStack();
    new ModelEdgeDeployment(new Construct(stack, 'teamA'), 'iris', validConfig({ routes: ['a.example.com/models/iris/*'] }));
    new ModelEdgeDeployment(new Construct(stack, 'teamB'), 'iris', validConfig({ routes: ['b.example.com/models/iris/*'], workerName: 'team-b-iris' }));
    const json = JSON.parse(Testing.synth(stack, true));
    expect(json.output.teamA_iris_endpoint_urls.value).toEqual(['https://a.example.com/models/iris/']);
    expect(json.output.teamB_iris_endpoint_urls.value).toEqual(['https://b.example.com/models/iris/']);
  });
  it('can be turned off', () => {
    const stack = newStack();
    new ModelEdgeDeployment(stack, 'iris', validConfig({ outputs: false }));
    expect(JSON.parse(Testing.synth(stack, true)).output).toBeUndefined();
  });
  it('refuse two paths that make the same output name', () => {
    const stack = newStack();
    new ModelEdgeDeployment(new Construct(stack, 'a.b'), 'iris', validConfig({ workerName: 'one' }));
    expect(() => new ModelEdgeDeployment(new Construct(stack, 'a_b'), 'iris', validConfig({ workerName: 'two' }))).toThrow(/field outputs: the output name "a_b_iris_endpoint_urls" is already used by test\/a\.b\/iris\. Fix: .*outputs: false/);
  });
});

describe('shared per stack', () => {
  it('looks each zone up once and copies the bundle once for several models', () => {
    const stack = newStack();
    new ModelEdgeDeployment(stack, 'iris', validConfig());
    new ModelEdgeDeployment(stack, 'digits', validConfig({ modelName: 'digits', routes: ['api.example.com/models/digits/*'] }));
    const json = JSON.parse(Testing.synth(stack, true));
    expect(Object.keys(json.data.cloudflare_zone)).toHaveLength(1);
    const bundles = new Set(resources(json, 'cloudflare_worker_version').map((v) => v.modules[0].content_file));
    expect(bundles.size).toBe(1);
  });
  it('keys routes by pattern, so reordering them keeps their resources', () => {
    const ids = (routes: string[]) => {
      const stack = newStack();
      new ModelEdgeDeployment(stack, 'iris', validConfig({ routes, pathPrefix: '' }));
      return Object.entries<any>(JSON.parse(Testing.synth(stack, true)).resource.cloudflare_workers_route).map(([id, r]) => `${id}=${r.pattern}`).sort();
    };
    expect(ids(['api.example.com/a/*', 'api.example.com/b/*'])).toEqual(ids(['api.example.com/b/*', 'api.example.com/a/*']));
  });
});
