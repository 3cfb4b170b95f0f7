/**
 * Builds a model, runs it on onnxruntime and on this runtime, and compares every output.
 * onnxruntime-node cannot return ZipMap's sequence<map> outputs ("Non tensor type is temporarily
 * not supported"), so the oracle runs the model without its ZipMap nodes and our map rows are
 * compared with the scores that fed ZipMap, plus the ZipMap's class labels as keys.
 */
import { buildModel, type ModelSpec, output } from '../../support/onnx-builder';
import { expectSameAsOrt, type Tolerance } from '../../support/compare';
import { runOrt } from '../../support/ort-oracle';
import { runOurs } from '../../support/run-ours';
import { MapRowsTensor, type Tensor } from '../../../worker/runtime/tensor';

export const ML = 'ai.onnx.ml';

export async function checkAgainstOrt(spec: ModelSpec, feeds: Readonly<Record<string, Tensor>>, tol?: Tolerance): Promise<Record<string, Tensor>> {
  const ours = runOurs(buildModel(spec), feeds);
  const zipmaps = spec.nodes.filter((n) => n.op === 'ZipMap');
  const oracleSpec: ModelSpec = {
    ...spec,
    nodes: spec.nodes.filter((n) => n.op !== 'ZipMap'),
    outputs: spec.outputs.map((o) => {
      const z = o.mapKey ? zipmaps.find((n) => n.outputs[0] === o.name) : undefined;
      return z ? output(z.inputs[0], 'float32', null) : o;
    }),
  };
  const theirs = await runOrt(buildModel(oracleSpec), feeds);
  for (const o of spec.outputs) {
    const z = o.mapKey ? zipmaps.find((n) => n.outputs[0] === o.name) : undefined;
    if (!z) {
      expectSameAsOrt(o.name, ours[o.name], theirs[o.name], tol);
      continue;
    }
    const rows = ours[o.name];
    if (!(rows instanceof MapRowsTensor)) throw new Error(`${o.name}: expected map rows from ZipMap`);
    const labels = z.attributes.classlabels_strings ?? z.attributes.classlabels_int64s;
    expect(rows.keys).toEqual(labels?.value);
    expectSameAsOrt(o.name, rows, theirs[z.inputs[0]], tol);
  }
  return ours;
}
