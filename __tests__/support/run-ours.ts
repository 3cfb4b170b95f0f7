/**
 * Runs ONNX bytes through this project's path: compileModel -> readArtifact -> InferenceSession.
 */
import { compileModel } from '../../lib/model-compiler';
import { readArtifact } from '../../worker/runtime/artifact';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import type { Tensor } from '../../worker/runtime/tensor';

export function sessionFor(model: Uint8Array): InferenceSession {
  const compiled = compileModel(model);
  return InferenceSession.create(readArtifact(compiled.artifact), { kernels: allKernels });
}

export function runOurs(model: Uint8Array, feeds: Readonly<Record<string, Tensor>>): Record<string, Tensor> {
  return sessionFor(model).run(feeds);
}
