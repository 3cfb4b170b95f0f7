/**
 * A reference point for the HTTP figures, not a product: the inference answer with none of the app
 * around it. No Hono, no route or method checks, no API keys, CORS or cache; only what every
 * answer must cost: read and parse the body (JSON, or the JSON header and binary tensor data when
 * Inference-Header-Content-Length is sent), run the real session, encode the answer, the
 * five response headers an inference answer carries and one log line. Its CPU per request against
 * the fixed-body Worker's shows how much of the gap is the work itself.
 *
 *   npx ts-node --transpile-only bench/profile-worker.ts --config direct --no-profile \
 *     --entry bench/workers/bare-inference.ts
 */
/// <reference path="../../worker/env.d.ts" />
import artifact from './model.bin';
import wasm from './kernels.wasm';
import { parseV2Request } from '../../worker/protocol/v2-request';
import { BINARY_HEADER_LENGTH, encodeV2Response } from '../../worker/protocol/v2-response';
import { randomRequestId } from '../../worker/http/request-id';
import { readArtifact } from '../../worker/runtime/artifact';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { useWasmKernels } from '../../worker/runtime/wasm';

useWasmKernels(wasm);
const session = InferenceSession.create(readArtifact(artifact), { kernels: allKernels });
const signature = { inputs: session.inputs, outputs: session.outputs };
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const LIVE = '{"live":true}';

export default {
  async fetch(request: Request, env: { MODEL_CONFIG: string }): Promise<Response> {
    // the readiness probe of bench/profile-worker.ts
    if (request.method !== 'POST') return new Response(LIVE, { headers: { 'content-type': 'application/json' } });
    const { name, version } = JSON.parse(env.MODEL_CONFIG) as { name: string; version: string };
    const started = performance.now();
    const requestId = randomRequestId();
    const bytes = new Uint8Array(await request.arrayBuffer());
    const headerLength = request.headers.get(BINARY_HEADER_LENGTH);
    const jsonLength = headerLength === null ? bytes.length : Number(headerLength);
    const body: unknown = JSON.parse(UTF8.decode(bytes.subarray(0, jsonLength)));
    const parsed = parseV2Request(body, headerLength === null ? undefined : bytes.subarray(jsonLength), signature, 1 << 20);
    const inferStart = performance.now();
    const results = session.run(parsed.feeds, parsed.outputNames);
    const inferEnd = performance.now();
    const answer = encodeV2Response(name, version, parsed.id, results, parsed.outputNames, session.outputs, parsed.binaryOutputs);
    const response = new Response(answer.body, {
      headers: {
        ...answer.headers,
        'content-type': answer.contentType,
        'X-Request-Id': requestId,
        'X-Model-Version': version,
        'Cache-Status': 'bypass',
        'Server-Timing': `parse;dur=${(inferStart - started).toFixed(3)}, infer;dur=${(inferEnd - inferStart).toFixed(3)}`,
      },
    });
    console.log(`{"message":"request","requestId":"${requestId}","status":200,"durationMs":${performance.now() - started}}`);
    return response;
  },
};
