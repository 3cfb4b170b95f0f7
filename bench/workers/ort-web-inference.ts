/**
 * The alternative a Workers user would try: onnxruntime-web (WebAssembly, one thread) inside a
 * Worker, answering the same KServe v2 JSON request as the model Worker, for the same-platform
 * comparison of bench/ort-web-worker.ts. Not a product.
 *
 * Workers forbid compiling WebAssembly from bytes at run time, so onnxruntime-web's .wasm is
 * uploaded as a wasm module (compiled at upload) and its loader, which calls
 * WebAssembly.instantiate(bytes, imports), is handed that module instead of the placeholder bytes.
 * The session is created on the first inference (creation is asynchronous); GET answers liveness.
 */
/// <reference path="../../worker/env.d.ts" />
// @ts-ignore -- the package's WebAssembly-only export, resolved by esbuild; its types are the main entry's
import * as ortWasmBuild from 'onnxruntime-web/wasm';
import ortWasm from './ort-wasm.wasm';
import modelBytes from './model.bin';

const ort = ortWasmBuild as typeof import('onnxruntime-web');

/** The part of the WebAssembly API used here (the Node typings the bench compiles with lack it). */
interface WasmApi {
  instantiate(source: unknown, imports?: object): Promise<unknown>;
  Module: abstract new (...args: never[]) => object;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const instantiate = wasmApi.instantiate.bind(wasmApi);
// The loader passes bytes; give it the module uploaded beside the code (same imports, same exports).
wasmApi.instantiate = async (source: unknown, imports?: object) =>
  source instanceof wasmApi.Module ? instantiate(source, imports) : { instance: await instantiate(ortWasm, imports), module: ortWasm };

ort.env.wasm.numThreads = 1;
ort.env.wasm.proxy = false;
ort.env.wasm.wasmBinary = new Uint8Array(8); // a placeholder: never compiled, see above

let session: Promise<import('onnxruntime-web').InferenceSession> | undefined;
const LIVE = '{"live":true}';
const DATATYPES: Record<string, string> = { float32: 'FP32', int64: 'INT64', int32: 'INT32', bool: 'BOOL' };

interface V2Input {
  name: string;
  shape: number[];
  datatype: string;
  data: number[];
}

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== 'POST') return new Response(LIVE, { headers: { 'content-type': 'application/json' } });
    session ??= ort.InferenceSession.create(new Uint8Array(modelBytes), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    const s = await session;
    const body = (await request.json()) as { id?: string; inputs: V2Input[] };
    const feeds: Record<string, import('onnxruntime-web').Tensor> = {};
    for (const i of body.inputs) feeds[i.name] = new ort.Tensor('float32', Float32Array.from(i.data), i.shape);
    const results = await s.run(feeds);
    const outputs = Object.entries(results).map(([name, t]: [string, import('onnxruntime-web').Tensor]) => ({
      name,
      shape: t.dims,
      datatype: DATATYPES[t.type] ?? t.type,
      data: Array.from(t.data as ArrayLike<number | bigint>, Number),
    }));
    return new Response(JSON.stringify({ model_name: 'model', id: body.id, outputs }), { headers: { 'content-type': 'application/json' } });
  },
};
