/**
 * Bundles the Worker entry (worker/index.ts) into one ES module with esbuild. This is the only file
 * that calls esbuild (the benchmark reuses WORKER_BUILD_OPTIONS); the result is cached per process
 * because every model ships the same code.
 *
 * The package ships the bundle prebuilt (`dist/bundle/`, written by `writePrebuiltBundle` at build
 * time), so a consumer's synth runs no bundler at all unless the deployment brings its own hooks
 * module; esbuild is then loaded on demand and, when it is not installed, the error says how to add it.
 */
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import type { BuildOptions } from 'esbuild';

/** The bundled Worker code. */
export interface WorkerBundle {
  /** The ES module source, UTF-8. */
  readonly code: Uint8Array;
  /** Hex SHA-256 of `code`. */
  readonly sha256: string;
  /** Size after gzip (what counts against the Workers size limit). */
  readonly gzipBytes: number;
  /** The entry file that was bundled. */
  readonly entry: string;
  /** Modules the code imports but that must be uploaded beside it (from EXTERNAL_MODULES). */
  readonly externalImports: string[];
}

/** Module names the Worker imports but that are uploaded beside it instead of bundled. */
export const EXTERNAL_MODULES = ['./model.bin', './kernels.wasm'] as const;

/**
 * How Worker code is built for the Workers runtime: one neutral-platform bundle that resolves
 * packages like a browser, preferring workerd-specific builds.
 */
export const WORKER_BUILD_OPTIONS = {
  bundle: true,
  write: false,
  platform: 'neutral',
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['browser', 'module', 'main'],
  target: 'es2022',
  minify: true,
  logLevel: 'silent',
} as const satisfies BuildOptions;

/** The esbuild version the Worker is built and tested with. */
export const ESBUILD_VERSION = '0.28.2';

const cache = new Map<string, WorkerBundle>();

function esbuild(): typeof import('esbuild') {
  try {
    // Loaded on demand: installs without hooks never need it.
    return require('esbuild') as typeof import('esbuild');
  } catch {
    throw new Error(`Bundling the Worker (a deployment with hooks, or a source checkout) needs esbuild, which is not installed. Fix: npm install --save-dev esbuild@${ESBUILD_VERSION}`);
  }
}

/** Where the prebuilt bundle lives in the installed package (beside dist/lib). */
const PREBUILT_DIR = path.resolve(__dirname, '..', 'bundle');

/**
 * The Worker bundle a deployment uploads: the prebuilt one when the package ships it and there are
 * no hooks, otherwise bundled now (with the hooks module compiled in).
 */
export function workerBundle(hooksEntry?: string): WorkerBundle {
  if (hooksEntry !== undefined) return bundleWorkerWithHooks(hooksEntry);
  return prebuiltBundle() ?? bundleWorker();
}

function prebuiltBundle(): WorkerBundle | undefined {
  const file = path.join(PREBUILT_DIR, 'worker.js');
  const meta = path.join(PREBUILT_DIR, 'worker.json');
  if (!existsSync(file) || !existsSync(meta)) return undefined;
  const cached = cache.get(file);
  if (cached) return cached;
  const code = readFileSync(file);
  const { externalImports } = JSON.parse(readFileSync(meta, 'utf8')) as { externalImports: string[] };
  const bundle = describe(code, file, externalImports);
  cache.set(file, bundle);
  return bundle;
}

/** Writes the bundle into `dir` (`worker.js` + `worker.json`): the package's prebuilt Worker. */
export function writePrebuiltBundle(dir: string = PREBUILT_DIR): WorkerBundle {
  const bundle = bundleWorker();
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'worker.js'), bundle.code);
  writeFileSync(path.join(dir, 'worker.json'), `${JSON.stringify({ sha256: bundle.sha256, externalImports: bundle.externalImports }, null, 2)}\n`);
  return bundle;
}

/** The Worker entry with hooks (worker/extension/entry.ts), beside the default entry. */
function hooksWorkerEntry(): string {
  return path.join(path.dirname(defaultWorkerEntry()), 'extension', 'entry.ts');
}

/** Bundles the Worker around the team's hooks module (its default export is the EdgeHooks object). */
export function bundleWorkerWithHooks(hooksEntry: string): WorkerBundle {
  const hooks = path.resolve(hooksEntry);
  const key = `hooks:${hooks}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const entry = hooksWorkerEntry();
  const contents = `import hooks from ${JSON.stringify(hooks)};\nimport { serveWithHooks } from ${JSON.stringify(entry)};\nexport default serveWithHooks(hooks);\n`;
  const bundle = build({ stdin: { contents, resolveDir: path.dirname(hooks), sourcefile: 'model-edge-hooks-entry.ts', loader: 'ts' } }, key);
  cache.set(key, bundle);
  return bundle;
}

/**
 * The Worker entry file: `worker/index.ts` beside `lib/` in the repository (ts-node, tests) or
 * beside `dist/` in the installed package (which ships the `worker` sources).
 */
export function defaultWorkerEntry(): string {
  const candidates = [path.resolve(__dirname, '..', 'worker', 'index.ts'), path.resolve(__dirname, '..', '..', 'worker', 'index.ts')];
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
}

/** Bundles the Worker once per process and entry file. */
export function bundleWorker(entry: string = defaultWorkerEntry()): WorkerBundle {
  const key = path.resolve(entry);
  const cached = cache.get(key);
  if (cached) return cached;
  if (!existsSync(key)) {
    throw new Error(`The Worker entry ${key} does not exist. Fix: reinstall model-edge, or restore worker/index.ts in the repository.`);
  }
  const bundle = build({ entryPoints: [key] }, key);
  cache.set(key, bundle);
  return bundle;
}

function build(input: BuildOptions, entry: string): WorkerBundle {
  let result;
  try {
    result = esbuild().buildSync({
      ...WORKER_BUILD_OPTIONS,
      ...input,
      format: 'esm',
      sourcemap: false,
      legalComments: 'none',
      external: [...EXTERNAL_MODULES],
      metafile: true,
    });
  } catch (e) {
    const errors = (e as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }).errors;
    if (!errors) throw e;
    const lines = errors.map((x) => (x.location ? `${x.location.file}:${x.location.line}: ${x.text}` : x.text));
    throw new Error(`The Worker cannot be bundled: ${lines.join('; ')}. Fix: correct the module named there (a hooks module must default-export its hooks and use no Node APIs).`);
  }
  const code = result.outputFiles![0].contents;
  const externalImports = Object.values(result.metafile!.outputs)
    .flatMap((o) => o.imports)
    .filter((i) => i.external)
    .map((i) => i.path);
  return describe(code, entry, [...new Set(externalImports)].sort());
}

function describe(code: Uint8Array, entry: string, externalImports: string[]): WorkerBundle {
  return {
    code,
    sha256: createHash('sha256').update(code).digest('hex'),
    gzipBytes: gzipSync(code, { level: 9 }).length,
    entry,
    externalImports,
  };
}
