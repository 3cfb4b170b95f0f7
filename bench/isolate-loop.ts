/**
 * The model-edge app against the bare handler (bench/workers/bare-inference.ts) inside one workerd
 * isolate: each HTTP request to the loop Worker makes `--iterations` Request objects in the isolate
 * and hands them to one handler, so workerd's CPU for it (from /proc) is almost all in-isolate
 * work, with no HTTP parsing or socket work around each iteration. The handlers alternate request
 * by request in the same process, which keeps other load on the machine out of their difference
 * better than separate Workers under HTTP load (bench/isolate-cpu.ts). /proc counts CPU in 10 ms
 * ticks, so an iteration count times the per-iteration time must stay well above that; and
 * workerd keeps some of each Request's and Response's native memory until the request that made
 * them ends, so much more than 3000 iterations of the digits request exceed the isolate's memory
 * and workerd drops the connection ("other side closed").
 *
 *   npx ts-node --transpile-only bench/isolate-loop.ts [--model tiny|digits] [--request json|binary]
 *       [--iterations 3000] [--rounds 8] [--tree DIR ...]
 *
 * --tree  a directory holding a worker/ tree to take the app from (default: this repository); give
 *         several to compare versions of the app in the same isolate, e.g. one exported with
 *         `git archive HEAD worker | tar -x -C /tmp/old` (with a node_modules link beside it).
 */
import { buildSync } from 'esbuild';
import { readFileSync } from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { compileModel } from '../lib/model-compiler';
import { localModelConfig } from '../lib/local/workerd-config';
import { KERNELS_WASM_PATH } from '../lib/wasm-module';
import { EXTERNAL_MODULES, WORKER_BUILD_OPTIONS } from '../lib/worker-bundle';
import { smallServedModels } from './lib/in-workerd';
import { startModuleWorker, type StartedWorker } from './lib/module-worker';
import { processCpuUs } from './lib/process-cpu';
import { median } from './lib/stats';

const REPO = path.join(__dirname, '..');

/**
 * The loop Worker: the bare handler (`who=bare`) and the app of each tree (`who=app0`, `app1`...),
 * run `n` times on in-isolate copies of the posted request.
 */
export function loopWorkerSource(trees: readonly string[]): string {
  // Every kernel, from the tree's registry (an older tree's createApp ignores the option).
  const imports = trees
    .map((t, i) => `import { createApp as createApp${i} } from ${JSON.stringify(path.join(t, 'worker', 'app'))};\nimport * as registry${i} from ${JSON.stringify(path.join(t, 'worker', 'runtime', 'kernels', 'registry'))};`)
    .join('\n');
  const apps = trees.map((_, i) => `const app${i} = createApp${i}({ artifact, wasm, kernels: registry${i}.allKernels });\nhandlers.app${i} = (r, env, ctx) => app${i}.fetch(r, env, ctx);`).join('\n');
  const entry = `
import artifact from './model.bin';
import wasm from './kernels.wasm';
${imports}
import bare from ${JSON.stringify(path.join(REPO, 'bench', 'workers', 'bare-inference'))};

const handlers = { bare: (r, env) => bare.fetch(r, env) };
${apps}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (request.method !== 'POST') return new Response('{"live":true}');
    const handler = handlers[url.searchParams.get('who')];
    const n = Number(url.searchParams.get('n'));
    const target = url.searchParams.get('target');
    const body = new Uint8Array(await request.arrayBuffer());
    const headers = {};
    for (const [k, v] of request.headers) if (k.startsWith('x-loop-')) headers[k.slice(7)] = v;
    headers['content-length'] = String(body.length);
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const res = await handler(new Request(target, { method: 'POST', headers, body }), env, ctx);
      if (res.status !== 200) return new Response(await res.text(), { status: 500 });
      bytes += (await res.arrayBuffer()).byteLength;
    }
    return new Response(String(bytes));
  },
};
`;
  const r = buildSync({
    ...WORKER_BUILD_OPTIONS,
    stdin: { contents: entry, resolveDir: REPO, sourcefile: 'isolate-loop-entry.js', loader: 'js' },
    format: 'esm',
    external: [...EXTERNAL_MODULES],
  } as Parameters<typeof buildSync>[0]);
  return r.outputFiles![0].text;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string', default: 'digits' },
      request: { type: 'string', default: 'binary' },
      iterations: { type: 'string', default: '3000' },
      rounds: { type: 'string', default: '8' },
      tree: { type: 'string', multiple: true },
    },
  });
  const served = smallServedModels().find((m) => m.name === values.model);
  if (!served) throw new Error(`--model must be tiny or digits, got ${values.model}`);
  const body = served.bodies.find((b) => b.kind === values.request);
  if (!body) throw new Error(`--request must be json or binary, got ${values.request}`);
  const trees = (values.tree ?? [REPO]).map((t) => path.resolve(t));
  const n = Number(values.iterations);
  const artifact = compileModel(served.onnx).artifact;
  let worker: StartedWorker | undefined;
  try {
    worker = await startModuleWorker(
      [
        { name: 'worker.js', kind: 'esModule', bytes: loopWorkerSource(trees) },
        { name: 'kernels.wasm', kind: 'wasm', bytes: readFileSync(KERNELS_WASM_PATH) },
        { name: 'model.bin', kind: 'data', bytes: artifact },
      ],
      { livePath: '/', textBindings: { MODEL_CONFIG: localModelConfig(served.name, { cache: { enabled: false, ttlSeconds: 60 } }) } },
    );
    const w = worker;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(body.headers)) headers[`x-loop-${k}`] = v;
    const run = async (who: string, count: number): Promise<number> => {
      const target = `http://localhost/v2/models/${served.name}/infer`;
      const before = processCpuUs(w.pid);
      const res = await fetch(`${w.url}/?who=${who}&n=${count}&target=${encodeURIComponent(target)}`, { method: 'POST', body: body.body, headers }).catch((e: Error) => {
        throw new Error(`${who}: ${e.message}${e.cause ? ` (${String(e.cause)})` : ''}; workerd said: ${w.stderr.slice(-5).join(' | ')}`);
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${who} failed: ${text.slice(0, 300)}`);
      return (processCpuUs(w.pid) - before) / count;
    };
    const who = ['bare', ...trees.map((_, i) => `app${i}`)];
    for (const h of who) await run(h, n); // warm-up
    const samples = who.map(() => [] as number[]);
    for (let r = 0; r < Number(values.rounds); r++) {
      const order = who.map((_, i) => i);
      if (r % 2 === 1) order.reverse();
      for (const i of order) samples[i].push(await run(who[i], n));
    }
    console.log(`${served.name} ${body.label}: bare handler ${median(samples[0]).toFixed(1)} µs per iteration`);
    for (const [i, tree] of trees.entries()) {
      const diffs = samples[i + 1].map((a, r) => a - samples[0][r]);
      console.log(
        `  app of ${path.relative(process.cwd(), tree) || '.'}: ${median(samples[i + 1]).toFixed(1)} µs; app - bare median ${median(diffs).toFixed(1)} µs ` +
          `(rounds: ${diffs.map((d) => d.toFixed(1)).join(' ')})`,
      );
    }
  } finally {
    await worker?.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (e) => {
      console.error(e instanceof Error ? `${e.message}${e.cause ? ` (${String(e.cause)})` : ''}` : e);
      process.exit(1);
    },
  );
}
