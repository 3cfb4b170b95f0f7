/**
 * A worker thread that compiles the faulty models one at a time (by index into FAULTY_MODELS) and
 * reports how each ended, how long it took and how much memory it needed: the peak RSS during the
 * compile (VmHWM, reset before each case) and the heap retained after a full garbage collection.
 * It runs in a thread so that a hang can be cut off and a memory blow-up cannot take the test down.
 */
const { parentPort } = require('worker_threads');
const fs = require('fs');
const path = require('path');
const v8 = require('v8');
const vm = require('vm');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
const { compileModel, ModelCompileError } = require(path.resolve(__dirname, '../../../lib/model-compiler'));
const { FAULTY_MODELS } = require('./faulty-models');

const MB = 1024 * 1024;
const status = () => fs.readFileSync('/proc/self/status', 'utf8');
const kib = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status())?.[1] ?? 0) * 1024;
const resetPeak = () => {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not Linux, or not allowed: the peak is then the process's lifetime peak
  }
};

parentPort.on('message', (index) => {
  const model = FAULTY_MODELS[index];
  const building = performance.now();
  const bytes = model.bytes();
  const buildMs = performance.now() - building;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = kib('VmRSS');
  resetPeak();
  const started = performance.now();
  let outcome;
  try {
    const compiled = compileModel(bytes, { source: `${model.label}.onnx` });
    outcome = { kind: 'compiled', artifactBytes: compiled.artifact.byteLength };
  } catch (e) {
    outcome = e instanceof ModelCompileError
      ? { kind: 'compile-error', message: e.message, problems: e.problems }
      : { kind: 'other-error', message: `${e && e.constructor && e.constructor.name}: ${String(e && e.message).slice(0, 300)}` };
  }
  const ms = performance.now() - started;
  const peakRssDelta = Math.max(0, kib('VmHWM') - rssBefore);
  gc();
  gc(); // a second pass collects what the first one only promoted
  const retainedHeap = process.memoryUsage().heapUsed - heapBefore;
  parentPort.postMessage({ index, label: model.label, ms, buildMs, peakRssDeltaMB: peakRssDelta / MB, retainedHeapMB: retainedHeap / MB, inputBytes: bytes.byteLength, ...outcome });
});
parentPort.postMessage('ready');
