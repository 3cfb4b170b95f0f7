/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * Models exported the way users export them (scikit-learn through skl2onnx, XGBoost through
 * onnxmltools, torchvision through torch.onnx.export) run through the production path,
 * compileModel -> readArtifact -> InferenceSession, and must reproduce the exporting framework's
 * own outputs recorded next to each model; every tensor output is also checked against
 * onnxruntime-node. A fixture that does not compile or run fails with the reason.
 */
import { expectSameAsOrt } from '../support/compare';
import { runOrt } from '../support/ort-oracle';
import { sessionFor } from '../support/run-ours';
import { exporterFixtures, expectMatchesFramework, forOracle } from './fixtures';

const fixtures = exporterFixtures();

describe('exporter fixtures match the frameworks and onnxruntime', () => {
  it('finds the fixtures of every family', () => {
    const families = new Set(fixtures.map((f) => f.family));
    expect([...families].sort()).toEqual([
      'clustering', 'decomposition', 'discriminant-analysis', 'ensembles', 'gaussian-process', 'linear', 'mixture', 'multiclass',
      'naive-bayes', 'neighbors', 'neural-network', 'outliers', 'pipelines', 'preprocessing', 'svm', 'text', 'torchvision', 'trees',
      'xgboost',
    ]);
  });

  for (const f of fixtures) {
    it(`${f.family}/${f.name}`, async () => {
      const session = sessionFor(f.model);
      const outputs = session.run(f.inputs);
      for (const [name, expected] of Object.entries(f.expected)) {
        expectMatchesFramework(`${f.family}/${f.name} output "${name}"`, outputs[name], expected, f.tolerance);
      }
      // onnxruntime-node cannot return ZipMap's sequence<map> outputs; those are compared above
      const tensorOutputs = session.outputs.filter((o) => o.kind !== 'map-rows').map((o) => o.name);
      const theirs = await runOrt(forOracle(f.model), f.inputs, tensorOutputs);
      for (const name of tensorOutputs) expectSameAsOrt(`${f.family}/${f.name} output "${name}"`, outputs[name], theirs[name], f.tolerance);
    });
  }
});
