/**
 * Trains the large handwritten-digits example: a random-features network (784 -> 6912 ReLU
 * features -> 10) on ~8,000 MNIST digits, exported as plain ai.onnx opset 17 (MatMul, Add, Relu,
 * MatMul, Add, Softmax, ArgMax). The first layer is fixed seeded random weights (21.7 MB of
 * float32, the bulk of the model); only the readout is trained (softmax regression with Adam) on
 * the features, which the project's own runtime computes. Too large for a Worker script, so it
 * deploys with its weights as static assets.
 *
 * Run alone: npx ts-node --transpile-only models/digits-large/train.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileModel } from '../../lib/model-compiler';
import { installWasmKernels } from '../../lib/wasm-module';
import { readArtifact } from '../../worker/runtime/artifact';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { Tensor } from '../../worker/runtime/tensor';
import { attr, buildModel, input, node, output } from '../lib/onnx-builder';
import { Random } from '../lib/random';
import type { TrainResult } from '../iris/train';
import { PIXELS, digitsSplit } from '../digits/data';

export const DIGITS_LARGE = { features: 6912, classes: 10, epochs: 6, batch: 64, learningRate: 2e-3, seed: 1234 };

/** The fixed first layer: uniform weights scaled for 0..1 inputs, biases centring the ReLUs. */
function randomLayer(random: Random): { w1: Float32Array; b1: Float32Array } {
  const { features } = DIGITS_LARGE;
  const w1 = new Float32Array(PIXELS * features);
  const scale = Math.sqrt(6 / PIXELS);
  for (let i = 0; i < w1.length; i++) w1[i] = (random.next() * 2 - 1) * scale;
  const b1 = new Float32Array(features);
  for (let i = 0; i < features; i++) b1[i] = (random.next() * 2 - 1) * 0.5;
  return { w1, b1 };
}

/** ReLU features of every row, computed by this project's runtime in batches of 500. */
function featuresOf(rows: readonly Float32Array[], w1: Float32Array, b1: Float32Array): Float32Array {
  const { features } = DIGITS_LARGE;
  const layer = buildModel({
    opsets: { '': 17 },
    inputs: [input('x', 'float32', ['N', PIXELS])],
    outputs: [output('h', 'float32', ['N', features])],
    initializers: { w1: new Tensor('float32', [PIXELS, features], w1), b1: new Tensor('float32', [features], b1) },
    nodes: [node('MatMul', ['x', 'w1'], ['m']), node('Add', ['m', 'b1'], ['a']), node('Relu', ['a'], ['h'])],
  });
  installWasmKernels();
  const session = InferenceSession.create(readArtifact(compileModel(layer).artifact), { kernels: allKernels });
  const out = new Float32Array(rows.length * features);
  for (let start = 0; start < rows.length; start += 500) {
    const chunk = rows.slice(start, start + 500);
    const x = new Float32Array(chunk.length * PIXELS);
    chunk.forEach((r, i) => x.set(r, i * PIXELS));
    out.set(session.run({ x: new Tensor('float32', [chunk.length, PIXELS], x) }).h.data as Float32Array, start * features);
  }
  return out;
}

/** Softmax regression on the features with Adam; returns the readout weights [features, classes] and biases. */
function trainReadout(h: Float32Array, y: readonly number[], random: Random): { w2: Float32Array; b2: Float32Array } {
  const { features: F, classes: C, epochs, batch, learningRate } = DIGITS_LARGE;
  const n = y.length;
  const w2 = new Float32Array(F * C);
  const b2 = new Float32Array(C);
  const params = [w2, b2];
  const m = params.map((p) => new Float32Array(p.length));
  const v = params.map((p) => new Float32Array(p.length));
  const grads = params.map((p) => new Float32Array(p.length));
  const order = Array.from({ length: n }, (_, i) => i);
  const logits = new Float32Array(C);
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let start = 0; start < n; start += batch) {
      const rows = order.slice(start, start + batch);
      grads.forEach((g) => g.fill(0));
      for (const r of rows) {
        const hr = h.subarray(r * F, (r + 1) * F);
        logits.set(b2);
        for (let f = 0; f < F; f++) {
          const a = hr[f];
          if (a === 0) continue;
          for (let c = 0; c < C; c++) logits[c] += a * w2[f * C + c];
        }
        let max = -Infinity;
        for (let c = 0; c < C; c++) max = Math.max(max, logits[c]);
        let sum = 0;
        for (let c = 0; c < C; c++) sum += logits[c] = Math.exp(logits[c] - max);
        for (let c = 0; c < C; c++) logits[c] = logits[c] / sum - (c === y[r] ? 1 : 0);
        for (let f = 0; f < F; f++) {
          const a = hr[f];
          if (a === 0) continue;
          for (let c = 0; c < C; c++) grads[0][f * C + c] += a * logits[c];
        }
        for (let c = 0; c < C; c++) grads[1][c] += logits[c];
      }
      step++;
      const c1 = 1 - 0.9 ** step;
      const c2 = 1 - 0.999 ** step;
      params.forEach((p, k) => {
        for (let i = 0; i < p.length; i++) {
          const g = grads[k][i] / rows.length;
          m[k][i] = 0.9 * m[k][i] + 0.1 * g;
          v[k][i] = 0.999 * v[k][i] + 0.001 * g * g;
          p[i] -= (learningRate * (m[k][i] / c1)) / (Math.sqrt(v[k][i] / c2) + 1e-8);
        }
      });
    }
  }
  return { w2, b2 };
}

export function trainDigitsLarge(): TrainResult {
  const { features, classes, seed } = DIGITS_LARGE;
  const random = new Random(seed);
  const { train, test } = digitsSplit();
  const { w1, b1 } = randomLayer(random);
  const { w2, b2 } = trainReadout(featuresOf(train.x, w1, b1), train.y, random);
  const model = buildModel({
    opsets: { '': 17 },
    producer: 'model-edge models/digits-large/train.ts',
    docString: 'Handwritten digit (MNIST, 28x28 grey levels scaled to 0..1, flattened row by row) -> class probabilities and label; random ReLU features + trained softmax readout',
    inputs: [input('input', 'float32', ['N', PIXELS])],
    outputs: [output('probabilities', 'float32', ['N', classes]), output('label', 'int64', ['N'])],
    initializers: {
      w1: new Tensor('float32', [PIXELS, features], w1),
      b1: new Tensor('float32', [features], b1),
      w2: new Tensor('float32', [features, classes], w2),
      b2: new Tensor('float32', [classes], b2),
    },
    nodes: [
      node('MatMul', ['input', 'w1'], ['hidden_mm']),
      node('Add', ['hidden_mm', 'b1'], ['hidden_pre']),
      node('Relu', ['hidden_pre'], ['hidden']),
      node('MatMul', ['hidden', 'w2'], ['logits_mm']),
      node('Add', ['logits_mm', 'b2'], ['logits']),
      node('Softmax', ['logits'], ['probabilities'], { axis: attr.int(1) }),
      node('ArgMax', ['logits'], ['label'], { axis: attr.int(1), keepdims: attr.int(0) }),
    ],
  });
  // Held-out accuracy, measured with the exported model on this project's runtime.
  const session = InferenceSession.create(readArtifact(compileModel(model).artifact), { kernels: allKernels });
  let correct = 0;
  for (let start = 0; start < test.x.length; start += 500) {
    const chunk = test.x.slice(start, start + 500);
    const x = new Float32Array(chunk.length * PIXELS);
    chunk.forEach((r, i) => x.set(r, i * PIXELS));
    const labels = session.run({ input: new Tensor('float32', [chunk.length, PIXELS], x) }).label.data as BigInt64Array;
    labels.forEach((l, i) => {
      if (Number(l) === test.y[start + i]) correct++;
    });
  }
  return { name: 'digits-large', model, accuracy: correct / test.x.length, testRows: test.x.length };
}

if (require.main === module) {
  const started = Date.now();
  const result = trainDigitsLarge();
  writeFileSync(join(__dirname, 'model.onnx'), result.model);
  console.log(
    `digits-large: held-out accuracy ${(result.accuracy * 100).toFixed(2)}% on ${result.testRows} rows, model.onnx ${result.model.length} bytes, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
