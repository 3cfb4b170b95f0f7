/**
 * Trains the handwritten-digits example: a 784-128-10 perceptron (ReLU, softmax) with Adam on
 * ~8,000 MNIST digits, exported as plain ai.onnx opset 17 (Gemm, Relu, Gemm, Softmax, ArgMax).
 *
 * Run alone: npx ts-node --transpile-only models/digits/train.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportMlp, predictClass, trainMlp } from '../lib/mlp';
import type { TrainResult } from '../iris/train';
import { PIXELS, digitsSplit } from './data';

export const DIGITS_MLP = { inputs: PIXELS, hidden: 128, classes: 10, epochs: 8, batch: 32, learningRate: 1e-3, seed: 42 };

export function trainDigits(): TrainResult {
  const { train, test } = digitsSplit();
  const mlp = trainMlp(train.x, train.y, DIGITS_MLP);
  let correct = 0;
  test.x.forEach((x, i) => {
    if (predictClass(mlp, x) === test.y[i]) correct++;
  });
  const model = exportMlp(
    mlp,
    'Handwritten digit (MNIST, 28x28 grey levels scaled to 0..1, flattened row by row) -> class probabilities and label',
    'model-edge models/digits/train.ts',
  );
  return { name: 'digits', model, accuracy: correct / test.x.length, testRows: test.x.length };
}

if (require.main === module) {
  const started = Date.now();
  const result = trainDigits();
  writeFileSync(join(__dirname, 'model.onnx'), result.model);
  console.log(
    `digits: held-out accuracy ${(result.accuracy * 100).toFixed(2)}% on ${result.testRows} rows, model.onnx ${result.model.length} bytes, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
