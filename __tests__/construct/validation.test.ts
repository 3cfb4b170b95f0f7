jest.mock('../../lib/model-build', () => require('./fixtures/fake-build').fakeModelBuild);

import { chmodSync } from 'fs';
import { Testing } from 'cdktf';
import { ModelEdgeDeploymentConfig } from '../../lib/deployment-config';
import { ModelEdgeConfigError } from '../../lib/errors';
import { ModelEdgeDeployment } from '../../lib/model-edge-deployment';
import { fakeBuildSettings } from './fixtures/fake-build';
import { fixtureDir, modelV1, modelV2, newStack, validConfig } from './fixtures/stacks';
import { writeTinyModel } from './fixtures/tiny-model';

const deploy = (overrides: Partial<ModelEdgeDeploymentConfig>) => new ModelEdgeDeployment(newStack(), 'iris', validConfig(overrides));
const two = (a?: number, b?: number) => [
  { label: 'stable', modelPath: modelV1, percentage: a },
  { label: 'canary', modelPath: modelV2, percentage: b },
];

describe('eager validation names the model, the field and the fix', () => {
  it('accepts the valid fixture', () => expect(() => deploy({})).not.toThrow());
  it('missing model file', () => expect(() => deploy({ versions: [{ label: 'v1', modelPath: '/nope/model.onnx' }] })).toThrow(/model "iris", field versions\[0\]\.modelPath: the model file \/nope\/model.onnx does not exist\. Fix: point modelPath/));
  it('unreadable model file', () => {
    const file = writeTinyModel(fixtureDir, 'locked.onnx');
    chmodSync(file, 0o000);
    try {
      if (process.getuid?.() === 0) return; // root reads anything
      expect(() => deploy({ versions: [{ label: 'v1', modelPath: file }] })).toThrow(/versions\[0\]\.modelPath: the model file .*locked.onnx cannot be read \(EACCES\)/);
    } finally {
      chmodSync(file, 0o644);
    }
  });
  it('route pattern outside the zone', () => expect(() => deploy({ routes: ['api.other.org/iris/*'] })).toThrow(/field routes\[0\]: "api.other.org\/iris\/\*" is outside the zone "example.com"\. Fix:/));
  it('route pattern look-alike of the zone', () => expect(() => deploy({ routes: ['notexample.com/*'] })).toThrow(/outside the zone/));
  it('route pattern with a scheme', () => expect(() => deploy({ routes: ['https://api.example.com/*'] })).toThrow(/routes\[0\]: .* starts with a scheme/));
  it('custom domain outside the zone', () => expect(() => deploy({ routes: [], customDomain: 'iris.other.org' })).toThrow(/field customDomain: "iris.other.org" is outside the zone/));
  it('routes without a zone', () => expect(() => deploy({ zoneName: undefined })).toThrow(/field zoneName: routes and customDomain need a zone/));
  it('unreachable model', () => expect(() => deploy({ routes: [] })).toThrow(/field routes: the model would not be reachable/));
  it('invalid Worker name', () => expect(() => deploy({ workerName: 'Iris_Model' })).toThrow(/field workerName: "Iris_Model" is not a valid Worker name\. Fix: use 1-63 lowercase/));
  it('Worker name too long', () => expect(() => deploy({ workerName: 'a'.repeat(64) })).toThrow(/not a valid Worker name/));
  it('invalid model name', () => expect(() => deploy({ modelName: '../etc' })).toThrow(/field modelName: "..\/etc" is not a valid model name/));
  it('malformed compatibility date', () => expect(() => deploy({ compatibilityDate: '2025-13-01' })).toThrow(/field compatibilityDate: "2025-13-01" is not a calendar date/));
  it('compatibility date in another format', () => expect(() => deploy({ compatibilityDate: '01/02/2025' })).toThrow(/compatibilityDate: "01\/02\/2025" is not written YYYY-MM-DD/));
  it('compatibility date in the future', () => expect(() => deploy({ compatibilityDate: '2999-01-01' })).toThrow(/compatibilityDate: .* is in the future/));
  it('percentage of 0', () => expect(() => deploy({ versions: two(100, 0) })).toThrow(/field versions\[1\]\.percentage: 0 is outside \(0, 100\]/));
  it('percentage over 100', () => expect(() => deploy({ versions: two(150, -50) })).toThrow(/versions\[0\]\.percentage: 150 is outside \(0, 100\]/));
  it('percentages not summing to 100', () => expect(() => deploy({ versions: two(80, 10) })).toThrow(/field versions: the percentages add up to 90, not 100\. Fix: make the shares sum to exactly 100/));
  it('a single version below 100', () => expect(() => deploy({ versions: [{ label: 'v1', modelPath: modelV1, percentage: 50 }] })).toThrow(/add up to 50, not 100/));
  it('two versions without any percentage', () => expect(() => deploy({ versions: two() })).toThrow(/more than one version leaves its percentage out/));
  it('more than two versions', () => expect(() => deploy({ versions: [...two(50, 25), { label: 'c2', modelPath: modelV1, percentage: 25 }] })).toThrow(/field versions: 3 versions are listed, but a Workers deployment splits traffic between at most 2/));
  it('no versions', () => expect(() => deploy({ versions: [] })).toThrow(/field versions: no model version is listed/));
  it('duplicate version labels', () => expect(() => deploy({ versions: [{ label: 'v1', modelPath: modelV1, percentage: 50 }, { label: 'v1', modelPath: modelV2, percentage: 50 }] })).toThrow(/versions\[1\]\.label: the label "v1" is used twice/));
  it('CPU limit on the Free plan', () => expect(() => deploy({ cpuMs: 50 })).toThrow(/field cpuMs: a CPU limit can only be set on the Paid plan\. Fix: set plan to "paid"/));
  it('malformed account id', () => expect(() => deploy({ accountId: 'acme' })).toThrow(/field accountId: "acme" is not a Cloudflare account id/));
  it('routes under different paths', () => expect(() => deploy({ routes: ['api.example.com/a/*', 'api.example.com/b/*'] })).toThrow(/field routes: the routes put the API under different paths/));
  it('API key that is not a SHA-256 hash, without echoing it', () => {
    const raw = 'sk_live_this-is-a-raw-api-key-0123456789';
    expect(() => deploy({ apiKeySha256: [raw] })).toThrow(/field apiKeySha256\[0\]: the entry is not a SHA-256 hash .* Fix: run `npx model-edge keygen`/);
    expect(() => deploy({ apiKeySha256: [raw] })).not.toThrow(new RegExp(raw));
  });
  it('bundle plus model over the Free plan limit', () => {
    fakeBuildSettings.extraGzipBytes = 3 * 1024 * 1024;
    try {
      const inScript = { weights: { storage: 'script' } };
      expect(() => deploy(inScript)).toThrow(/field versions\[0\]\.modelPath: the Worker bundle plus model is 3\.00 MiB after gzip .* over the free plan's limit of 3\.00 MiB\. Fix: set plan to "paid" \(10 MiB\), or set weights\.storage to "auto"/);
      expect(() => deploy({ ...inScript, plan: 'paid' })).not.toThrow();
    } finally {
      fakeBuildSettings.extraGzipBytes = 0;
    }
  });
  it('bundle plus model over the Paid plan limit', () => {
    fakeBuildSettings.extraGzipBytes = 10 * 1024 * 1024;
    try {
      expect(() => deploy({ plan: 'paid', weights: { storage: 'script' } })).toThrow(/over the paid plan's limit of 10\.00 MiB\. Fix: set weights\.storage to "auto" .*, or deploy a smaller/);
    } finally {
      fakeBuildSettings.extraGzipBytes = 0;
    }
  });
  it('reports every problem at once', () => {
    let error: unknown;
    try {
      deploy({ workerName: 'Bad Name', compatibilityDate: 'soon', versions: two(80, 10) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelEdgeConfigError);
    expect((error as ModelEdgeConfigError).problems.map((p) => p.field).sort()).toEqual(['compatibilityDate', 'versions', 'workerName']);
  });
});

describe('tree-wide validation: two models in one stack claim the same thing', () => {
  const twoModels = (a: Partial<ModelEdgeDeploymentConfig>, b: Partial<ModelEdgeDeploymentConfig>) => {
    const stack = newStack();
    new ModelEdgeDeployment(stack, 'iris', validConfig({ modelName: 'iris', ...a }));
    new ModelEdgeDeployment(stack, 'digits', validConfig({ modelName: 'digits', routes: ['api.example.com/models/digits/*'], ...b }));
    return () => Testing.synth(stack, true);
  };
  it('accepts distinct claims', () => expect(twoModels({}, {})).not.toThrow());
  it('one route pattern', () => expect(twoModels({}, { routes: ['api.example.com/models/iris/*'] })).toThrow(/model "digits", field routes\[0\]: the route pattern "api.example.com\/models\/iris\/\*" is already claimed by model "iris" \(routes\[0\]\)\. Fix:/));
  it('one hostname', () => expect(twoModels({ customDomain: 'ml.example.com' }, { customDomain: 'ML.example.com' })).toThrow(/model "digits", field customDomain: the hostname "ml.example.com" is already claimed by model "iris"/));
  it('one Worker name', () => expect(twoModels({ workerName: 'shared' }, { workerName: 'shared' })).toThrow(/model "digits", field workerName: the Worker name "shared" is already claimed by model "iris"/));
});

describe('validation gaps: each says what is wrong and how to fix it', () => {
  it('missing account id names CLOUDFLARE_ACCOUNT_ID', () => expect(() => deploy({ accountId: '' })).toThrow(/field accountId: no Cloudflare account id is given\. Fix: set CLOUDFLARE_ACCOUNT_ID/));
  it('missing model name', () => expect(() => deploy({ modelName: undefined as unknown as string })).toThrow(/field modelName: no model name is given/));
  it('invalid zone name does not cascade into route errors', () => expect(() => deploy({ zoneName: 'https://example.com' })).toThrow(/^Invalid model-edge deployment settings \(1 problem\):\n.*field zoneName: "https:\/\/example.com" is not a domain name/));
  it('zone name is lower-cased', () => expect(new ModelEdgeDeployment(newStack(), 'iris', validConfig({ zoneName: 'Example.COM' })).config.zoneName).toBe('example.com'));
  it('non-apex zone name', () => expect(() => deploy({ zoneName: 'api.example.com' })).toThrow(/field zoneName: "api.example.com" names a host, not a zone\. Fix: use the zone's apex domain, e.g. "example.com"/));
  it('upper-case hash is accepted as the same hash', () => expect(new ModelEdgeDeployment(newStack(), 'iris', validConfig({ apiKeySha256: ['AB'.repeat(32)] })).config.apiKeySha256).toEqual(['ab'.repeat(32)]));
  it('directory as modelPath', () => expect(() => deploy({ versions: [{ label: 'v1', modelPath: fixtureDir }] })).toThrow(/field versions\[0\]\.modelPath: .* is a directory, not a model file\. Fix: point modelPath at the \.onnx file inside it/));
  it('errors name the stack', () => expect(() => deploy({ workerName: 'Bad' })).toThrow(/stack "test", model "iris", field workerName/));
  it('unknown properties from JavaScript callers', () => expect(() => deploy({ route: ['x'], limits: { maxBody: 1 } } as never)).toThrow(/field route: is not a known setting[\s\S]*field limits\.maxBody: is not a known setting/));
});
