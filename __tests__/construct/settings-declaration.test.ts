/**
 * The one declaration of the deployment settings agrees with its other forms: the docs table, the
 * Worker's config contract (worker/env.ts) and the limits both sides enforce.
 */
jest.mock('../../lib/model-build', () => require('./fixtures/fake-build').fakeModelBuild);

import { readFileSync } from 'fs';
import * as path from 'path';
import { DEPLOYMENT_SETTINGS, settingsTable } from '../../lib/settings-declaration';
import { resolveDeploymentConfig } from '../../lib/deployment-config';
import { modelConfigText } from '../../lib/model-config-binding';
import { parseModelConfig } from '../../worker/env';
import { validConfig } from './fixtures/stacks';

const docs = readFileSync(path.join(__dirname, '../../docs/deployment-settings.md'), 'utf8');
const resolve = (overrides = {}) => resolveDeploymentConfig(validConfig({ ...overrides, pathPrefix: '/models/iris', apiKeySha256: ['a'.repeat(64)] }), { stackName: 'test' });
const get = (obj: any, dotted: string) => dotted.split('.').reduce((o, k) => o?.[k], obj);

describe('the settings declaration', () => {
  it('is the table in docs/deployment-settings.md (paste settingsTable() there after a change)', () => {
    expect(docs).toContain(settingsTable());
  });

  it('reaches the Worker for every setting the Worker reads', () => {
    const { resolved } = resolve();
    const config = parseModelConfig(modelConfigText(resolved, 'v1'));
    for (const s of DEPLOYMENT_SETTINGS.filter((d) => d.worker)) {
      expect([s.key, get(config, s.worker as string)]).not.toEqual([s.key, undefined]);
    }
  });

  it.each([
    ['model name', { modelName: 'm'.repeat(64) }, { modelName: 'm'.repeat(65) }],
    ['version label', { versions: [{ label: 'v'.repeat(25), modelPath: 'x.onnx' }] }, { versions: [{ label: 'v'.repeat(26), modelPath: 'x.onnx' }] }],
  ])('sets the same %s limit on both sides', (_, longest, tooLong) => {
    const ok = resolve(longest);
    expect(ok.problems).toEqual([]);
    expect(() => parseModelConfig(modelConfigText(ok.resolved, ok.resolved.versions[0].label))).not.toThrow();
    expect(resolve(tooLong).problems.length).toBeGreaterThan(0);
    const text = modelConfigText({ ...ok.resolved, modelName: 'modelName' in tooLong ? (tooLong as any).modelName : ok.resolved.modelName }, 'versions' in tooLong ? 'v'.repeat(26) : 'v1');
    expect(() => parseModelConfig(text)).toThrow();
  });
});
