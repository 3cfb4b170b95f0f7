/**
 * `model-edge run <model.onnx> --request <file.json> [--path ...]`: compiles the model exactly as
 * synth does and answers one request through the Worker's own Hono app, in Node. What it prints
 * is what the deployed Worker would answer.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../../worker/app';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { compileModelFile } from '../model-compiler';
import { loadKernelsModule } from '../wasm-module';
import { localModelConfig } from '../local/workerd-config';
import { modelNameOf } from './model-files';
import type { CliCommand } from './main';

export interface RunResult {
  readonly status: number;
  readonly body: unknown;
}

/** Answers `requestBody` (JSON text) for the model in `onnxPath`, as the Worker would. */
export async function runRequest(onnxPath: string, requestBody: string, requestPath?: string): Promise<RunResult> {
  const compiled = compileModelFile(onnxPath);
  const name = modelNameOf(onnxPath);
  const artifact = compiled.artifact.buffer.slice(compiled.artifact.byteOffset, compiled.artifact.byteOffset + compiled.artifact.byteLength) as ArrayBuffer;
  const app = createApp({ kernels: allKernels, artifact, wasm: loadKernelsModule(), log: () => undefined });
  const isV1 = /"instances"\s*:/.test(requestBody);
  const target = requestPath ?? (isV1 ? `/v1/models/${name}:predict` : `/v2/models/${name}/infer`);
  const res = await app.request(
    target,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: requestBody },
    { MODEL_CONFIG: localModelConfig(name, { limits: { maxBodyBytes: 256 * 1024 * 1024, maxTensorElements: 100_000_000 } }) },
  );
  return { status: res.status, body: await res.json() };
}

export const command: CliCommand = {
  summary: 'Compile a model and answer one inference request with the Worker app, locally in Node.',
  usage: 'model-edge run <model.onnx> --request <request.json | -> [--path /v2/models/<name>/infer]',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { request: { type: 'string', short: 'r' }, path: { type: 'string' } },
    });
    if (positionals.length !== 1 || !values.request) {
      console.error(`Usage: ${this.usage}`);
      return 1;
    }
    const body = values.request === '-' ? readFileSync(0, 'utf8') : readFileSync(path.resolve(values.request), 'utf8');
    const result = await runRequest(positionals[0], body, values.path);
    console.log(JSON.stringify(result.body, null, 2));
    if (result.status >= 400) console.error(`HTTP ${result.status}`);
    return result.status < 400 ? 0 : 1;
  },
};
