/**
 * The ONNX backend tests for layout = 1 (batch-major) LSTM / GRU / RNN. onnxruntime's CPU provider
 * cannot load them, so the conformance runner skips them; here they run through the production
 * path (compile -> artifact -> session) against the ONNX suite's own expected outputs.
 */
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { compileModel, decodeTensorProto } from '../../../lib/model-compiler';
import { readArtifact } from '../../../worker/runtime/artifact';
import { InferenceSession } from '../../../worker/runtime/session';
import { allKernels } from '../../../worker/runtime/kernels/registry';
import { expectClose } from '../normalization/harness';
import { ensureConformanceData } from '../../../scripts/conformance-data';

const dataDir = ensureConformanceData();
const tests = ['test_lstm_batchwise', 'test_gru_batchwise', 'test_simple_rnn_batchwise'];

describe('batch-major recurrent conformance cases', () => {
  it.each(tests)('%s matches the expected outputs', (name) => {
    const dir = path.join(dataDir, 'node', name);
    const session = InferenceSession.create(readArtifact(compileModel(readFileSync(path.join(dir, 'model.onnx'))).artifact), { kernels: allKernels });
    const setDir = path.join(dir, 'test_data_set_0');
    const files = readdirSync(setDir).sort();
    const feeds = Object.fromEntries(
      files.filter((f) => f.startsWith('input_')).map((f, i) => [session.inputs[i].name, decodeTensorProto(readFileSync(path.join(setDir, f)))]),
    );
    const results = session.run(feeds);
    files
      .filter((f) => f.startsWith('output_'))
      .forEach((f, i) => {
        const expected = decodeTensorProto(readFileSync(path.join(setDir, f)));
        expectClose(results[session.outputs[i].name], { shape: expected.shape, data: expected.data as Float32Array }, 1e-5, 1e-3);
      });
  });
});
