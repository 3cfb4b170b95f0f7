/**
 * Bundles the Worker entry (worker/index.ts) into one ES module with esbuild. This is the only file
 * that calls esbuild for what ships (the benchmark reuses WORKER_BUILD_OPTIONS); the result is
 * cached per process because every model ships the same code.
 */
import { createHash } from 'crypto';
import { existsSync } from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { buildSync, type BuildOptions } from 'esbuild';

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
  readonly externalImports: readonly string[];
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

const cache = new Map<string, WorkerBundle>();

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
  const result = buildSync({
    ...WORKER_BUILD_OPTIONS,
    entryPoints: [key],
    format: 'esm',
    sourcemap: false,
    legalComments: 'none',
    external: [...EXTERNAL_MODULES],
    metafile: true,
  });
  const code = result.outputFiles[0].contents;
  const externalImports = Object.values(result.metafile.outputs)
    .flatMap((o) => o.imports)
    .filter((i) => i.external)
    .map((i) => i.path);
  const bundle: WorkerBundle = {
    code,
    sha256: createHash('sha256').update(code).digest('hex'),
    gzipBytes: gzipSync(code, { level: 9 }).length,
    entry: key,
    externalImports: [...new Set(externalImports)].sort(),
  };
  cache.set(key, bundle);
  return bundle;
}
