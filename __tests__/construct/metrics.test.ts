/** `metrics.dataset`: every Worker version gets the Analytics Engine binding the Worker writes to. */
jest.mock('../../lib/model-build', () => require('./fixtures/fake-build').fakeModelBuild);

import { Testing, TerraformVariable } from 'cdktf';
import { WorkerVersion } from '@cdktf/provider-cloudflare/lib/worker-version';
import { ModelEdgeDeployment } from '../../lib/model-edge-deployment';
import { METRICS_BINDING } from '../../worker/http/metrics';
import { modelV1, modelV2, newStack, validConfig } from './fixtures/stacks';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const versions = (json: Json): Json[] => Object.values(json.resource.cloudflare_worker_version);

it('binds the dataset as MODEL_METRICS (type analytics_engine) in every version', () => {
  const stack = newStack();
  new ModelEdgeDeployment(stack, 'iris', validConfig({ versions: [{ label: 'v1', modelPath: modelV1 }, { label: 'v2', modelPath: modelV2, percentage: 10 }], metrics: { dataset: 'model_edge_requests' } }));
  const out = Testing.synth(stack, true);
  expect(out).toHaveResourceWithProperties(WorkerVersion, { bindings: expect.arrayContaining([{ name: METRICS_BINDING, type: 'analytics_engine', dataset: 'model_edge_requests' }]) });
  for (const v of versions(JSON.parse(out))) expect(v.bindings).toContainEqual({ name: 'MODEL_METRICS', type: 'analytics_engine', dataset: 'model_edge_requests' });
});

it('takes the dataset from a Terraform variable', () => {
  const stack = newStack();
  const dataset = new TerraformVariable(stack, 'dataset', { type: 'string' });
  new ModelEdgeDeployment(stack, 'iris', validConfig({ metrics: { dataset: dataset.stringValue } }));
  expect(versions(JSON.parse(Testing.synth(stack, true)))[0].bindings).toContainEqual({ name: 'MODEL_METRICS', type: 'analytics_engine', dataset: '${var.dataset}' });
});

it('adds no binding without metrics', () => {
  const stack = newStack();
  new ModelEdgeDeployment(stack, 'iris', validConfig());
  expect(JSON.stringify(versions(JSON.parse(Testing.synth(stack, true)))[0].bindings)).not.toContain('analytics_engine');
});

it.each([
  [{ dataset: 'has spaces' }, /field metrics\.dataset: "has spaces" is not a dataset name\. Fix: name the Analytics Engine dataset with letters, digits and "_"/],
  [{} as { dataset: string }, /field metrics\.dataset: is required when metrics is set/],
])('refuses %j naming the field and the fix', (metrics, message) => {
  expect(() => new ModelEdgeDeployment(newStack(), 'iris', validConfig({ metrics }))).toThrow(message);
});

it('keeps MODEL_METRICS for itself', () => {
  expect(() => new ModelEdgeDeployment(newStack(), 'iris', validConfig({ bindings: [{ name: 'MODEL_METRICS', type: 'plain_text', text: 'x' }] }))).toThrow(/field bindings\[0\]\.name: the name MODEL_METRICS is the construct's own binding/);
});
