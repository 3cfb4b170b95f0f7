/**
 * A plain onnxruntime-node server behind node:http, the HTTP baseline: answers
 * POST /v2/models/{name}/infer (KServe V2 JSON, FP32 inputs) with the model's tensor outputs.
 * Run as its own process so that it does not share an event loop with the load generator:
 *
 *   node -r ts-node/register/transpile-only bench/lib/ort-server.ts <model.onnx> <name> <port>
 *
 * Prints "listening <port>" once it accepts connections.
 */
import { readFileSync } from 'fs';
import { createServer } from 'http';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const ort = require('onnxruntime-node') as typeof import('onnxruntime-node');

const DATATYPE: Record<string, string> = { float32: 'FP32', float64: 'FP64', int64: 'INT64', int32: 'INT32', string: 'BYTES', bool: 'BOOL' };

interface V2Input {
  name: string;
  shape: number[];
  datatype: string;
  data: number[];
}

async function main(): Promise<void> {
  const [file, name, portText] = process.argv.slice(2);
  if (!file || !name || !portText) throw new Error('usage: ort-server.ts <model.onnx> <name> <port>');
  const session = await ort.InferenceSession.create(readFileSync(file), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' });
  const inferPath = `/v2/models/${name}/infer`;
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (req.method !== 'POST' || req.url !== inferPath) return send(404, { error: `no endpoint at ${req.method} ${req.url}` });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        try {
          const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: string; inputs: V2Input[] };
          const feeds: Record<string, import('onnxruntime-node').Tensor> = {};
          for (const i of request.inputs) {
            if (i.datatype !== 'FP32') throw new Error(`input ${i.name}: only FP32 is served here`);
            feeds[i.name] = new ort.Tensor('float32', Float32Array.from(i.data.flat(Infinity as 1) as number[]), i.shape);
          }
          const results = await session.run(feeds);
          send(200, {
            model_name: name,
            model_version: 'local',
            ...(request.id !== undefined ? { id: request.id } : {}),
            outputs: Object.entries(results).map(([n, t]) => ({
              name: n,
              shape: t.dims,
              datatype: DATATYPE[t.type] ?? t.type,
              data: Array.from(t.data as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? Number(v) : v)),
            })),
          });
        } catch (e) {
          send(400, { error: (e as Error).message });
        }
      })();
    });
  });
  server.keepAliveTimeout = 60000;
  server.listen(Number(portText), '127.0.0.1', () => console.log(`listening ${portText}`));
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
