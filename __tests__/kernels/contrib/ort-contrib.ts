/**
 * com.microsoft ops against onnxruntime-node: one generated graph runs through onnxruntime and
 * through this project's compiler and session, and every named output must agree.
 */
import type { DType } from '../../../worker/runtime/tensor';
import { Tensor } from '../../../worker/runtime/tensor';
import { expectSameAsOrt, type Tolerance } from '../../support/compare';
import { buildModel, input, output, type NodeSpec } from '../../support/onnx-builder';
import { runOrt } from '../../support/ort-oracle';
import { runOurs } from '../../support/run-ours';
import { randomFloats } from '../transformer/helpers';

export const MS = 'com.microsoft';

export interface OrtCase {
  readonly nodes: readonly NodeSpec[];
  /** graph inputs with their values */
  readonly feeds: Readonly<Record<string, Tensor>>;
  readonly initializers?: Readonly<Record<string, Tensor>>;
  /** graph outputs: name and dtype */
  readonly outputs: ReadonlyArray<readonly [string, DType]>;
  readonly opset?: number;
}

export function caseModel(c: OrtCase): Uint8Array {
  return buildModel({
    opsets: { '': c.opset ?? 17, [MS]: 1 },
    inputs: Object.entries(c.feeds).map(([name, t]) => input(name, t.dtype, t.shape)),
    outputs: c.outputs.map(([name, dtype]) => output(name, dtype, null)),
    nodes: c.nodes,
    initializers: c.initializers,
  });
}

/** Runs the case in both runtimes and compares every output (shapes, then values). */
export async function expectMatchesOrt(c: OrtCase, tol: Tolerance = { atol: 1e-5, rtol: 1e-4 }): Promise<void> {
  const model = caseModel(c);
  const theirs = await runOrt(model, c.feeds);
  const ours = runOurs(model, c.feeds);
  for (const [name, dtype] of c.outputs) {
    expect(ours[name]?.dtype).toBe(dtype);
    expectSameAsOrt(name, ours[name], theirs[name], tol);
  }
}

let nextSeed = 11;

/** A float32 tensor of seeded values in [lo, hi). */
export function seeded(shape: readonly number[], lo = -1, hi = 1): Tensor<'float32'> {
  return Tensor.from('float32', shape, randomFloats(shape.reduce((a, b) => a * b, 1), nextSeed++, lo, hi));
}
