/**
 * Trains the Iris example: a seeded 25-tree random forest, exported like skl2onnx exports a
 * scikit-learn RandomForestClassifier: TreeEnsembleClassifier (label: the species name) followed
 * by ZipMap (probabilities: one {species: probability} map per row).
 *
 * Run alone: npx ts-node --transpile-only models/iris/train.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { attr, buildModel, input, mapOutput, node, output } from '../lib/onnx-builder';
import { forestAttributes, predictProba, trainForest } from '../lib/random-forest';
import { FEATURES, SPECIES, irisSplit } from './data';

const ML = 'ai.onnx.ml';

export const IRIS_FOREST = { trees: 25, maxDepth: 5, minSamplesLeaf: 1, maxFeatures: 2, seed: 7 };

export interface TrainResult {
  name: string;
  model: Uint8Array;
  /** held-out accuracy of the trained model, 0..1 */
  accuracy: number;
  testRows: number;
}

export function trainIris(): TrainResult {
  const { train, test } = irisSplit();
  const forest = trainForest(train.x, train.y, SPECIES.length, IRIS_FOREST);
  let correct = 0;
  test.x.forEach((x, i) => {
    const p = predictProba(forest, x);
    if (p.indexOf(Math.max(...p)) === test.y[i]) correct++;
  });
  const model = buildModel({
    opsets: { '': 17, [ML]: 1 },
    producer: 'model-edge models/iris/train.ts',
    docString: `Iris species from ${FEATURES.join(', ')} (cm): random forest of ${IRIS_FOREST.trees} trees`,
    inputs: [input('input', 'float32', ['N', FEATURES.length])],
    outputs: [output('label', 'string', ['N']), mapOutput('probabilities', 'string')],
    nodes: [
      node('TreeEnsembleClassifier', ['input'], ['label', 'scores'], forestAttributes(forest, SPECIES), ML),
      node('ZipMap', ['scores'], ['probabilities'], { classlabels_strings: attr.strings(SPECIES) }, ML),
    ],
  });
  return { name: 'iris', model, accuracy: correct / test.x.length, testRows: test.x.length };
}

if (require.main === module) {
  const result = trainIris();
  writeFileSync(join(__dirname, 'model.onnx'), result.model);
  console.log(`iris: held-out accuracy ${(result.accuracy * 100).toFixed(1)}% on ${result.testRows} rows, model.onnx ${result.model.length} bytes`);
}
