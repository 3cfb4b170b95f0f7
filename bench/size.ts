/**
 * Sizes: the Worker bundle and the WebAssembly kernels (raw and gzip, what counts against the
 * Workers script limit), and each reference model's compiled artifact against its .onnx file.
 */
import { readFileSync } from 'fs';
import { gzipSync } from 'zlib';
import { compileModel } from '../lib/model-compiler';
import { KERNELS_WASM_PATH } from '../lib/wasm-module';
import { workerBundle } from '../lib/worker-bundle';
import { artifactOps } from '../lib/kernel-selection';
import { largeModels } from './large-models';
import type { BenchPart, PartResult } from './lib/report';
import { bytes, ratio, type Table } from './lib/table';
import { referenceModels, weightsModel } from './reference-models';

export const BUNDLE_TARGET_BYTES = 100 * 1024;

const gz = (b: Uint8Array) => gzipSync(b, { level: 9 }).length;

/** A Worker's code as a deployment uploads it: the ES modules for its model's ops, and kernels.wasm. */
export interface CodeSize {
  readonly model: string;
  readonly modules: number;
  readonly bytes: number;
  readonly gzip: number;
}

function codeSize(model: string, ops: readonly string[] | undefined): CodeSize {
  const bundle = workerBundle({ ops });
  return { model, modules: bundle.modules.length, bytes: bundle.modules.reduce((n, m) => n + m.code.length, 0), gzip: bundle.gzipBytes };
}

/** The Worker code of each reference model (small and larger), and of a Worker with every kernel. */
export function codeSizes(): { perModel: CodeSize[]; all: CodeSize } {
  const models = [...referenceModels(), ...largeModels()];
  return { perModel: models.map((m) => codeSize(m.name, artifactOps(compileModel(m.onnx).artifact))), all: codeSize('(every kernel)', undefined) };
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
    const { perModel, all } = codeSizes();
    const wasm = readFileSync(KERNELS_WASM_PATH);
    const wasmGzip = gz(wasm);
    const row = (c: CodeSize) => [c.model, String(c.modules), bytes(c.bytes), bytes(c.gzip), bytes(c.gzip + wasmGzip)];
    const code: Table = {
      title: 'Worker code',
      headers: ['Worker for', 'JS modules', 'raw', 'gzip', 'gzip with kernels.wasm'],
      rows: [...perModel.map(row), row(all)],
      notes: [
        `A deployment uploads worker.js, the kernel modules of the ops its models use, the chunks they share and model-kernels.js, which lists them (lib/worker-bundle.ts, lib/kernel-selection.ts); kernels.wasm (${bytes(wasm.byteLength)}, ${bytes(wasmGzip)} gzip) is uploaded whole. Sizes are the sum over modules, each gzipped on its own.`,
      ],
    };
    const worst = perModel.reduce((a, b) => (b.gzip > a.gzip ? b : a));
    const artifacts: Table = {
      title: 'Compiled artifacts vs .onnx files',
      headers: ['model', '.onnx', 'artifact', 'artifact / .onnx', '.onnx gzip', 'artifact gzip', 'compile time (median of 5)'],
      rows: artifactRows(),
    };
    return {
      tables: [code, artifacts],
      targets: [
        {
          target: 'Worker runtime bundle ≤ 100 KB gzip (kernels included)',
          measured: `worst reference model ${bytes(worst.gzip + wasmGzip)} (${worst.model}: ${worst.modules} JS modules ${bytes(worst.gzip)} + kernels.wasm ${bytes(wasmGzip)}); a Worker with every kernel ${bytes(all.gzip + wasmGzip)}`,
          met: worst.gzip + wasmGzip <= BUNDLE_TARGET_BYTES,
        },
      ],
    };
  },
};
