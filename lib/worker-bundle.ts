/**
 * Builds the Worker's code with esbuild. This is the only file that calls esbuild (the benchmark
 * reuses WORKER_BUILD_OPTIONS).
 *
 * The code is built once, split into ES modules: `worker.js` (the entry, worker/index.ts), one
 * module per kernel file and the chunks they share. A Worker uploads the entry, the kernel modules
 * of the ops its models use, the chunks those import, and `model-kernels.js`, a few lines written
 * here that list those kernels (lib/kernel-selection.ts). Picking modules needs no bundler, so the
 * package ships the split build prebuilt (`dist/bundle/`, written by `writePrebuiltBundle` at build
 * time) and a consumer's synth runs no bundler at all unless the deployment brings its own hooks
 * module; esbuild is then loaded on demand and bundles the hooks, the app and the model's kernels
 * into one module.
 */
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import type { BuildOptions, Metafile } from 'esbuild';
import { kernelExports, kernelFiles, kernelListSource, kernelSourcePrelude, noKernelError } from './kernel-selection';

/** One ES module of the Worker's code. */
export interface WorkerModule {
  /** module name, as imported (`./<name>`) and uploaded */
  readonly name: string;
  readonly code: Uint8Array;
}

/** The Worker's code for a set of ops. */
export interface WorkerBundle {
  /** The ES modules to upload, the main module (`worker.js`) first. */
  readonly modules: readonly WorkerModule[];
  /** Hex SHA-256 over the modules' names and bytes. */
  readonly sha256: string;
  /** Sum of the modules' sizes after gzip (what counts against the Workers size limit). */
  readonly gzipBytes: number;
  /** Non-JavaScript modules the code imports, uploaded beside it (from EXTERNAL_MODULES). */
  readonly externalImports: string[];
  /** The ops ("domain:Op") whose kernels the code carries. */
  readonly ops: readonly string[];
}

/** Module names the Worker imports but that are uploaded beside its code instead of bundled. */
export const EXTERNAL_MODULES = ['./model.bin', './kernels.wasm'] as const;
/** The Worker's main module. */
export const MAIN_MODULE = 'worker.js';
/** The module, written per Worker, that lists the kernels it carries (see worker/index.ts). */
export const MODEL_KERNELS_MODULE = 'model-kernels.js';

/**
 * How Worker code is built for the Workers runtime: neutral-platform ES modules that resolve
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

/** The split build: every module, what each imports, and which module exports each op's kernel. */
interface SplitBuild {
  readonly modules: ReadonlyMap<string, Uint8Array>;
  /** each module's static imports of other modules of the build */
  readonly imports: ReadonlyMap<string, readonly string[]>;
  /** op -> the kernel module and the name it exports the kernel under */
  readonly kernels: ReadonlyMap<string, { readonly module: string; readonly exportName: string }>;
  readonly externalImports: string[];
}

/** What dist/bundle/worker.json records beside the modules. */
interface SplitManifest {
  readonly imports: Record<string, string[]>;
  readonly kernels: Record<string, { module: string; exportName: string }>;
  readonly externalImports: string[];
}

const MANIFEST_FILE = 'worker.json';

function esbuild(): typeof import('esbuild') {
  try {
    // Loaded on demand: installs without hooks never need it.
    return require('esbuild') as typeof import('esbuild');
  } catch {
    throw new Error(`Bundling the Worker (a deployment with hooks, or a source checkout) needs esbuild, which is not installed. Fix: npm install --save-dev esbuild@${ESBUILD_VERSION}`);
  }
}

/** Where the prebuilt split build lives in the installed package (beside dist/lib). */
const PREBUILT_DIR = path.resolve(__dirname, '..', 'bundle');

let splitCache: SplitBuild | undefined;
const bundleCache = new Map<string, WorkerBundle>();

/** The split build: the package's prebuilt one when it ships, otherwise built now (once per process). */
function splitBuild(): SplitBuild {
  splitCache ??= prebuiltSplit() ?? buildSplit();
  return splitCache;
}

/**
 * The Worker code a deployment uploads for `ops` (every kernel when omitted): modules picked from
 * the split build, or, with a hooks module, one module bundled now around the team's code.
 */
export function workerBundle(options: { readonly ops?: Iterable<string>; readonly hooksEntry?: string } = {}): WorkerBundle {
  const requested = options.ops === undefined ? undefined : [...new Set(options.ops)].sort();
  if (options.hooksEntry !== undefined) return bundleWorkerWithHooks(options.hooksEntry, requested);
  const split = splitBuild();
  const ops = requested ?? [...split.kernels.keys()].sort();
  const key = `split:${ops.join(',')}`;
  const cached = bundleCache.get(key);
  if (cached) return cached;
  const bundle = pickModules(split, ops);
  bundleCache.set(key, bundle);
  return bundle;
}

function pickModules(split: SplitBuild, ops: readonly string[]): WorkerBundle {
  const kernels = ops.map((op) => {
    const where = split.kernels.get(op);
    if (!where) throw noKernelError(op);
    return where;
  });
  const listing = kernelListSource(kernels.map((k) => ({ specifier: `./${k.module}`, exportName: k.exportName })));
  const picked = new Set<string>();
  const visit = (name: string) => {
    if (picked.has(name)) return;
    picked.add(name);
    for (const dep of split.imports.get(name) ?? []) visit(dep);
  };
  visit(MAIN_MODULE);
  for (const k of kernels) visit(k.module);
  picked.delete(MAIN_MODULE);
  const modules: WorkerModule[] = [
    { name: MAIN_MODULE, code: split.modules.get(MAIN_MODULE)! },
    { name: MODEL_KERNELS_MODULE, code: new TextEncoder().encode(listing) },
    ...[...picked].sort().map((name) => ({ name, code: split.modules.get(name)! })),
  ];
  return describe(modules, split.externalImports, ops);
}

/** The built module of a kernel file: `kernels-math-binary.js` for math/binary.ts. */
function kernelModuleName(file: string): string {
  return `kernels-${file.replace(/\//g, '-')}.js`;
}

function prebuiltSplit(): SplitBuild | undefined {
  const manifestFile = path.join(PREBUILT_DIR, MANIFEST_FILE);
  if (!existsSync(manifestFile)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as SplitManifest;
  const modules = new Map<string, Uint8Array>();
  for (const name of Object.keys(manifest.imports)) modules.set(name, readFileSync(path.join(PREBUILT_DIR, name)));
  return {
    modules,
    imports: new Map(Object.entries(manifest.imports)),
    kernels: new Map(Object.entries(manifest.kernels)),
    externalImports: manifest.externalImports,
  };
}

/** Writes the split build into `dir` (its modules + worker.json): the package's prebuilt Worker. */
export function writePrebuiltBundle(dir: string = PREBUILT_DIR): { modules: number; bytes: number } {
  const split = buildSplit();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (const [name, code] of split.modules) {
    writeFileSync(path.join(dir, name), code);
    bytes += code.length;
  }
  const manifest: SplitManifest = {
    imports: Object.fromEntries([...split.imports].map(([k, v]) => [k, [...v]])),
    kernels: Object.fromEntries(split.kernels),
    externalImports: split.externalImports,
  };
  writeFileSync(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return { modules: split.modules.size, bytes };
}

/**
 * The Worker entry file: `worker/index.ts` beside `lib/` in the repository (ts-node, tests) or
 * beside `dist/` in the installed package (which ships the `worker` sources).
 */
export function defaultWorkerEntry(): string {
  const candidates = [path.resolve(__dirname, '..', 'worker', 'index.ts'), path.resolve(__dirname, '..', '..', 'worker', 'index.ts')];
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
}

/** The kernel source directory beside the Worker entry. */
function kernelSourceDir(): string {
  return path.join(path.dirname(defaultWorkerEntry()), 'runtime', 'kernels');
}

/** Builds the entry and one module per kernel file, with esbuild's code splitting for what they share. */
function buildSplit(): SplitBuild {
  const entry = defaultWorkerEntry();
  if (!existsSync(entry)) {
    throw new Error(`The Worker entry ${entry} does not exist. Fix: reinstall model-edge, or restore worker/index.ts in the repository.`);
  }
  const entryPoints: Record<string, string> = { [MAIN_MODULE.replace(/\.js$/, '')]: entry };
  for (const file of kernelFiles()) entryPoints[kernelModuleName(file).replace(/\.js$/, '')] = path.join(kernelSourceDir(), `${file}.ts`);
  const outdir = path.join(path.dirname(entry), '.split-build');
  const result = runEsbuild({ entryPoints, splitting: true, outdir, chunkNames: 'chunk-[hash]', external: [...EXTERNAL_MODULES, `./${MODEL_KERNELS_MODULE}`] });
  const nameOf = (file: string) => path.relative(outdir, path.resolve(file)).split(path.sep).join('/');
  const modules = new Map<string, Uint8Array>();
  for (const out of result.outputFiles!) modules.set(nameOf(out.path), out.contents);
  const imports = new Map<string, string[]>();
  const external = new Set<string>();
  for (const [file, output] of Object.entries(result.metafile!.outputs)) {
    imports.set(nameOf(file), output.imports.filter((i) => !i.external).map((i) => nameOf(i.path)));
    for (const i of output.imports) if (i.external && i.path !== `./${MODEL_KERNELS_MODULE}`) external.add(i.path);
  }
  const kernels = new Map<string, { module: string; exportName: string }>();
  for (const [op, where] of kernelExports()) kernels.set(op, { module: kernelModuleName(where.file), exportName: where.exportName });
  return { modules, imports, kernels, externalImports: [...external].sort() };
}

/** The Worker entry with hooks (worker/extension/entry.ts), beside the default entry. */
function hooksWorkerEntry(): string {
  return path.join(path.dirname(defaultWorkerEntry()), 'extension', 'entry.ts');
}

/** Bundles the Worker around the team's hooks module (its default export is the EdgeHooks object) as one module. */
export function bundleWorkerWithHooks(hooksEntry: string, requested?: readonly string[]): WorkerBundle {
  const ops = requested ?? [...kernelExports().keys()].sort();
  const hooks = path.resolve(hooksEntry);
  const key = `hooks:${hooks}:${ops.join(',')}`;
  const cached = bundleCache.get(key);
  if (cached) return cached;
  const entry = hooksWorkerEntry();
  const kernelImports = kernelSourcePrelude(ops, kernelSourceDir());
  const contents = `import hooks from ${JSON.stringify(hooks)};\nimport { serveWithHooks } from ${JSON.stringify(entry)};\n${kernelImports}export default serveWithHooks(hooks, kernels);\n`;
  const result = runEsbuild({ stdin: { contents, resolveDir: path.dirname(hooks), sourcefile: 'model-edge-hooks-entry.ts', loader: 'ts' }, external: [...EXTERNAL_MODULES] });
  const externalImports = [...new Set(Object.values(result.metafile!.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path)))].sort();
  const bundle = describe([{ name: MAIN_MODULE, code: result.outputFiles![0].contents }], externalImports, ops);
  bundleCache.set(key, bundle);
  return bundle;
}

function runEsbuild(input: BuildOptions): { outputFiles?: Array<{ path: string; contents: Uint8Array }>; metafile?: Metafile } {
  try {
    return esbuild().buildSync({ ...WORKER_BUILD_OPTIONS, ...input, format: 'esm', sourcemap: false, legalComments: 'none', metafile: true });
  } catch (e) {
    const errors = (e as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }).errors;
    if (!errors) throw e;
    const lines = errors.map((x) => (x.location ? `${x.location.file}:${x.location.line}: ${x.text}` : x.text));
    throw new Error(`The Worker cannot be bundled: ${lines.join('; ')}. Fix: correct the module named there (a hooks module must default-export its hooks and use no Node APIs).`);
  }
}

function describe(modules: WorkerModule[], externalImports: string[], ops: readonly string[]): WorkerBundle {
  const hash = createHash('sha256');
  for (const m of modules) hash.update(m.name).update('\0').update(m.code).update('\0');
  return {
    modules,
    sha256: hash.digest('hex'),
    gzipBytes: modules.reduce((n, m) => n + gzipSync(m.code, { level: 9 }).length, 0),
    externalImports,
    ops,
  };
}
