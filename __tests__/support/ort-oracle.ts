/**
 * onnxruntime-node as the reference: runs ONNX bytes on runtime Tensors and returns plain
 * results. ZipMap outputs come back from onnxruntime as arrays of objects (one per row).
 */
import type { Tensor } from '../../worker/runtime/tensor';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const ort = require('onnxruntime-node') as typeof import('onnxruntime-node');

const ORT_TYPE: Record<string, string> = {
  float32: 'float32',
  float64: 'float64',
  int32: 'int32',
  int64: 'int64',
  int16: 'int16',
  int8: 'int8',
  uint8: 'uint8',
  bool: 'bool',
  string: 'string',
};

export type OrtValue = { dims: readonly number[]; data: ArrayLike<unknown> } | Record<string, number>[];

/** `fetches` limits the outputs computed (by default all of them). */
export async function runOrt(model: Uint8Array, feeds: Readonly<Record<string, Tensor>>, fetches?: readonly string[]): Promise<Record<string, OrtValue>> {
  const session = await ort.InferenceSession.create(Buffer.from(model));
  const ortFeeds: Record<string, import('onnxruntime-node').Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) {
    ortFeeds[name] = new ort.Tensor(ORT_TYPE[t.dtype] as 'float32', t.data as Float32Array, [...t.shape]);
  }
  const results = fetches ? await session.run(ortFeeds, [...fetches]) : await session.run(ortFeeds);
  const out: Record<string, OrtValue> = {};
  for (const [name, value] of Object.entries(results)) {
    out[name] = Array.isArray(value) ? (value as Record<string, number>[]) : { dims: value.dims, data: value.data as ArrayLike<unknown> };
  }
  await session.release();
  return out;
}
