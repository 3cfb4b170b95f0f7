/**
 * Synth writes each version's OpenAPI document beside the stack (openapi/<model>/<version>.json),
 * and the playground setting reaches MODEL_CONFIG and the document. (The document built from a
 * real compiled model is checked in end-to-end.test.ts.)
 */
jest.mock('../../lib/model-build', () => require('./fixtures/fake-build').fakeModelBuild);

import { readFileSync } from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { ModelEdgeDeployment } from '../../lib/model-edge-deployment';
import { parseModelConfig } from '../../worker/env';
import { openApiProblems } from '../worker/support/openapi-schema';
import { modelV1, modelV2, newStack, validConfig } from './fixtures/stacks';

type Json = Record<string, any>;

function synth(overrides = {}) {
  const stack = newStack();
  new ModelEdgeDeployment(stack, 'iris', validConfig(overrides));
  const stackDir = path.join(Testing.fullSynth(stack), 'stacks', 'test');
  const json = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as Json;
  const doc = (label: string) => JSON.parse(readFileSync(path.join(stackDir, 'openapi', 'iris', `${label}.json`), 'utf8')) as Json;
  const modelConfig = (i = 0) => parseModelConfig(Object.values<Json>(json.resource.cloudflare_worker_version)[i].bindings[0].text);
  return { doc, modelConfig };
}

describe('OpenAPI documents at synth', () => {
  it('are written per version, valid, with the playground by default', () => {
    const { doc, modelConfig } = synth({
      versions: [
        { label: 'v1', modelPath: modelV1, percentage: 90 },
        { label: 'v2', modelPath: modelV2 },
      ],
    });
    for (const label of ['v1', 'v2']) {
      expect(openApiProblems(doc(label))).toEqual([]);
      expect(doc(label).info.version).toBe(label);
      expect(doc(label).paths['/v2/models/iris/versions/{version}/infer'].post.parameters.find((p: Json) => p.name === 'version').schema.enum).toEqual(['v1', 'v2']);
    }
    expect(doc('v1').paths['/v2/models/iris/playground']).toBeDefined();
    expect(modelConfig().playground).toBe(true);
  });

  it('leave the page out with playground: false, which MODEL_CONFIG carries to the Worker', () => {
    const { doc, modelConfig } = synth({ playground: false });
    expect(doc('v1').paths['/v2/models/iris/playground']).toBeUndefined();
    expect(modelConfig().playground).toBe(false);
  });
});
