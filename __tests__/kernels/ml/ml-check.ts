/** Builds a model, runs it on onnxruntime and on this runtime, and compares every output. */
import { buildModel, type ModelSpec } from '../../support/onnx-builder';
import { expectSameAsOrt, type Tolerance } from '../../support/compare';
import { runOrt } from '../../support/ort-oracle';
import { runOurs } from '../../support/run-ours';
import type { Tensor } from '../../../worker/runtime/tensor';

export async function checkAgainstOrt(spec: ModelSpec, feeds: Readonly<Record<string, Tensor>>, tol?: Tolerance): Promise<Record<string, Tensor>> {
  const bytes = buildModel(spec);
  const theirs = await runOrt(bytes, feeds);
  const ours = runOurs(bytes, feeds);
  for (const out of spec.outputs) expectSameAsOrt(out.name, ours[out.name], theirs[out.name], tol);
  return ours;
}

export const ML = 'ai.onnx.ml';
