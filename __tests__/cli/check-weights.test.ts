/**
 * `model-edge check` on weights: where they go when the script cannot hold them, the estimated
 * peak memory against the isolate's 128 MB (failing, with the batch limit that fits, when over),
 * CPU time per request at batch 1, and the int8 accuracy change.
 */
import { checkReport } from '../../lib/cli/check';
import { seededMlp } from '../../bench/lib/seeded-mlp';

const small = seededMlp({ weightBytes: 400_000, inputs: 64 }).onnx;

it('reports the memory estimate and the CPU time per request at batch 1', () => {
  const report = checkReport(small, 'mlp.onnx', { maxTensorElements: 6400 });
  expect(report.ok).toBe(true);
  expect(report.text).toMatch(/Memory: peak memory ~[\d.]+ MiB of 128\.00 MiB \(runtime 8\.00 MiB, .* working set [\d.]+ MiB at 100 rows\), at limits\.maxTensorElements 6400/);
  expect(report.text).toMatch(/CPU per request at batch 1 on this machine: [\d.]+ ms/);
  expect(report.text).not.toMatch(/int8/);
});

it('fails a model whose working set at the batch limit exceeds the isolate, naming the limit that fits', () => {
  const report = checkReport(small, 'mlp.onnx', { maxTensorElements: 1e9, timing: false });
  expect(report.ok).toBe(false);
  expect(report.text).toMatch(/OVER the isolate's 128 MB: set limits\.maxTensorElements to at most \d+/);
});

it('reports the int8 accuracy change against float32', () => {
  const report = checkReport(small, 'mlp.onnx', { precision: 'int8', maxTensorElements: 6400, timing: false });
  expect(report.text).toMatch(/int8 weights: 3 tensors; vs float32 max abs diff [\d.e-]+, arg-max agreement [\d.]+% over 64 generated inputs/);
});

it('moves the weights of a model over the Free limit to static assets', () => {
  const report = checkReport(seededMlp({ weightBytes: 4_000_000 }).onnx, 'big.onnx', { maxTensorElements: 2560, timing: false });
  expect(report.ok).toBe(true);
  expect(report.text).toMatch(/Weights as static assets \(weights\.storage "auto"\): [\d.]+ MB in 1 shard of at most 25 MiB; the script keeps \d+ B gzip of graph\./);
});
