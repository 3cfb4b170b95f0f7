/**
 * Sizes: the Worker bundle and the WebAssembly kernels (raw and gzip, what counts against the
 * Workers script limit), and each reference model's compiled artifact against its .onnx file.
 */
import { readFileSync } from 'fs';
import { gzipSync } from 'zlib';
import { compileModel } from '../lib/model-compiler';
import { KERNELS_WASM_PATH } from '../lib/wasm-module';
import { bundleWorker } from '../lib/worker-bundle';
import type { BenchPart, PartResult } from './lib/report';
import { bytes, ratio, type Table } from './lib/table';
import { referenceModels, weightsModel } from './reference-models';

export const BUNDLE_TARGET_BYTES = 100 * 1024;

const gz = (b: Uint8Array) => gzipSync(b, { level: 9 }).length;

export interface CodeSizes {
  bundle: number;
  bundleGzip: number;
  wasm: number;
  wasmGzip: number;
}

export function codeSizes(): CodeSizes {
  const bundle = bundleWorker();
  const wasm = readFileSync(KERNELS_WASM_PATH);
  return { bundle: bundle.code.byteLength, bundleGzip: bundle.gzipBytes, wasm: wasm.byteLength, wasmGzip: gz(wasm) };
}

/** Median compile time over a few runs (the first run also warms up the kernels it folds with). */
function compileMs(onnx: Uint8Array): number {
  const times = [0, 1, 2, 3, 4].map(() => {
    const started = process.hrtime.bigint();
    compileModel(onnx);
    return Number(process.hrtime.bigint() - started) / 1e6;
  });
  return times.sort((a, b) => a - b)[2];
}

export function artifactRows(): string[][] {
  return [...referenceModels(), weightsModel(4)].map((m) => {
    const artifact = compileModel(m.onnx).artifact;
    return [
      m.name,
      bytes(m.onnx.byteLength),
      bytes(artifact.byteLength),
      ratio(artifact.byteLength / m.onnx.byteLength),
      bytes(gz(m.onnx)),
      bytes(gz(artifact)),
      `${compileMs(m.onnx).toFixed(1)} ms`,
    ];
  });
}

export const sizePart: BenchPart = {
  name: 'size',
  title: 'Size',
  async run(): Promise<PartResult> {
    const s = codeSizes();
    const total = s.bundleGzip + s.wasmGzip;
    const code: Table = {
      title: 'Worker code',
      headers: ['module', 'raw', 'gzip'],
      rows: [
        ['worker bundle (lib/worker-bundle.ts, minified)', bytes(s.bundle), bytes(s.bundleGzip)],
        ['kernels.wasm', bytes(s.wasm), bytes(s.wasmGzip)],
        ['total', bytes(s.bundle + s.wasm), bytes(total)],
      ],
    };
    const artifacts: Table = {
      title: 'Compiled artifacts vs .onnx files',
      headers: ['model', '.onnx', 'artifact', 'artifact / .onnx', '.onnx gzip', 'artifact gzip', 'compile time (median of 5)'],
      rows: artifactRows(),
    };
    return {
      tables: [code, artifacts],
      targets: [{ target: 'Worker runtime bundle ≤ 100 KB gzip (kernels included)', measured: `${bytes(total)} (bundle ${bytes(s.bundleGzip)} + wasm ${bytes(s.wasmGzip)})`, met: total <= BUNDLE_TARGET_BYTES }],
    };
  },
};
