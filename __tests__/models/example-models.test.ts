/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * The example models the repository produces (models/<name>/model.onnx): each compiles, our
 * runtime agrees with onnxruntime on the held-out rows, and the accuracy stated in the model's
 * README holds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { compileModel } from '../../lib/model-compiler';
import { readArtifact } from '../../worker/runtime/artifact';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { MapRowsTensor, Tensor } from '../../worker/runtime/tensor';
import { expectSameAsOrt } from '../support/compare';
import { runOrt } from '../support/ort-oracle';
import { digitsSplit } from '../../models/digits/data';
import { irisSplit, SPECIES } from '../../models/iris/data';
import { trainIris } from '../../models/iris/train';

const MODELS = join(__dirname, '../../models');

function statedAccuracy(name: string): number {
  const readme = readFileSync(join(MODELS, name, 'README.md'), 'utf8');
  const m = /Held-out accuracy: \*\*([\d.]+)%\*\*/.exec(readme);
  if (!m) throw new Error(`models/${name}/README.md does not state "Held-out accuracy: **N%**"`);
  return Number(m[1]) / 100;
}

function rowsTensor(rows: readonly Float32Array[]): Tensor<'float32'> {
  const width = rows[0].length;
  const data = new Float32Array(rows.length * width);
  rows.forEach((r, i) => data.set(r, i * width));
  return new Tensor('float32', [rows.length, width], data);
}

/** onnxruntime-node cannot return ZipMap's maps: give it the model with the scores as output. */
function withoutZipMap(bytes: Uint8Array): Uint8Array {
  const m = onnx.ModelProto.decode(bytes);
  const graph = m.graph!;
  const zipmap = graph.node!.find((n) => n.opType === 'ZipMap');
  if (!zipmap) return bytes;
  graph.node = graph.node!.filter((n) => n !== zipmap);
  graph.output = graph.output!.map((o) =>
    o.name === zipmap.output![0] ? { name: zipmap.input![0], type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } } : o,
  );
  return onnx.ModelProto.encode(m).finish();
}

describe('models/iris', () => {
  const bytes = readFileSync(join(MODELS, 'iris/model.onnx'));
  const { test } = irisSplit();
  const X = rowsTensor(test.x);

  it('compiles and matches onnxruntime on the held-out rows', async () => {
    const compiled = compileModel(bytes);
    expect(compiled.signature.inputs).toEqual([{ name: 'input', datatype: 'FP32', shape: [-1, 4] }]);
    const ours = InferenceSession.create(readArtifact(compiled.artifact), { kernels: allKernels }).run({ input: X });
    const theirs = await runOrt(withoutZipMap(bytes), { input: X });
    expectSameAsOrt('label', ours.label, theirs.label);
    const probabilities = ours.probabilities as MapRowsTensor;
    expect(probabilities).toBeInstanceOf(MapRowsTensor);
    expect(probabilities.keys).toEqual([...SPECIES]);
    expectSameAsOrt('probabilities', probabilities, theirs.scores);
  });

  it('reaches the accuracy its README states', () => {
    const session = InferenceSession.create(readArtifact(compileModel(bytes).artifact), { kernels: allKernels });
    const labels = session.run({ input: X }).label.data as string[];
    const accuracy = labels.filter((l, i) => l === SPECIES[test.y[i]]).length / labels.length;
    expect(accuracy).toBeCloseTo(statedAccuracy('iris'), 4);
  });

  it('is what models/iris/train.ts produces (the committed file is reproducible)', () => {
    expect(Buffer.from(trainIris().model).equals(bytes)).toBe(true);
  });
});

describe('models/digits', () => {
  const bytes = readFileSync(join(MODELS, 'digits/model.onnx'));
  const { test } = digitsSplit();
  const X = rowsTensor(test.x);

  it('compiles and matches onnxruntime on the held-out rows, and the stated accuracy holds', async () => {
    const compiled = compileModel(bytes);
    expect(compiled.signature.inputs).toEqual([{ name: 'input', datatype: 'FP32', shape: [-1, 784] }]);
    const ours = InferenceSession.create(readArtifact(compiled.artifact), { kernels: allKernels }).run({ input: X });
    const theirs = await runOrt(bytes, { input: X });
    expectSameAsOrt('probabilities', ours.probabilities, theirs.probabilities, { atol: 1e-5, rtol: 1e-3 });
    const label = ours.label.data as BigInt64Array;
    const ortLabel = theirs.label as unknown as { data: BigInt64Array };
    let agree = 0;
    let correct = 0;
    label.forEach((l, i) => {
      if (l === ortLabel.data[i]) agree++;
      if (Number(l) === test.y[i]) correct++;
    });
    // float rounding may flip a near-tie; allow at most one in two thousand
    expect(agree).toBeGreaterThanOrEqual(label.length - 1);
    expect(correct / label.length).toBeCloseTo(statedAccuracy('digits'), 3);
  });
});
