/**
 * Produces the files a Worker version uploads: the bundled Worker code, the compiled model
 * artifact and the optional WebAssembly kernels. Every file is written once into a build
 * directory under a content-addressed name, so a `TerraformAsset` can copy it into the stack
 * folder and repeated synths reuse it.
 *
 * The construct reaches bundling and compiling only through this module, so its tests can replace
 * this one module with a fast fake.
 */
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { compileModelFile } from './model-compiler';
import { workerBundle } from './worker-bundle';
import { readArtifact } from '../worker/runtime/artifact';
import { tensorMetadata, type TensorMetadataJson } from '../worker/protocol/v2-response';
import { zipMapLabels } from '../worker/protocol/zipmap-labels';

/** A file ready to be uploaded as a Worker module. */
export interface BuiltFile {
  /** Absolute path of the file in the build directory. */
  readonly path: string;
  /** Hex SHA-256 of the file's bytes. */
  readonly sha256: string;
  /** Size in bytes. */
  readonly bytes: number;
  /** Size after gzip, which counts against the Workers script size limit. */
  readonly gzipBytes: number;
}

/** The bundled Worker code. */
export interface BuiltBundle extends BuiltFile {
  /** Module names the code imports from beside it, e.g. './model.bin', './kernels.wasm'. */
  readonly externalImports: string[];
}

/** A compiled model artifact. */
export interface BuiltModel extends BuiltFile {
  /** Hex SHA-256 of the source model file. */
  readonly sourceSha256: string;
}

/**
 * Default directory for built files: `.model-edge/cache` in the working directory (the project
 * folder when cdktf runs the app), never a folder shared by every user and project. The folder
 * carries its own `.gitignore`, so it stays out of version control without a change to the project's.
 */
export function defaultBuildDir(): string {
  return path.resolve('.model-edge', 'cache');
}

/**
 * The Worker bundle, written as `worker-<sha>.js`: the prebuilt one shipped with the package, or,
 * with a hooks module, one bundled now around the team's code.
 */
export function buildWorkerBundle(buildDir: string = defaultBuildDir(), hooksEntry?: string): BuiltBundle {
  const bundle = workerBundle(hooksEntry);
  const file = writeContentAddressed(buildDir, `worker-${bundle.sha256.slice(0, 16)}.js`, bundle.code);
  return { path: file, sha256: bundle.sha256, bytes: bundle.code.length, gzipBytes: bundle.gzipBytes, externalImports: bundle.externalImports };
}

const compiled = new Map<string, BuiltModel>();

/**
 * Compiles a model file into the Worker's data module, written as `<sha>.bin`. Throws when the file
 * is missing or unreadable, and the compiler's ModelCompileError when the model is not supported.
 */
export function buildModelArtifact(modelPath: string, buildDir: string = defaultBuildDir()): BuiltModel {
  const source = path.resolve(modelPath);
  const stat = statSync(source);
  const key = `${source}:${stat.size}:${stat.mtimeMs}:${buildDir}`;
  const hit = compiled.get(key);
  if (hit && existsSync(hit.path)) return hit;
  const model = compileModelFile(source);
  const file = writeContentAddressed(buildDir, `${model.sha256}.bin`, model.artifact);
  const built: BuiltModel = {
    path: file,
    sha256: model.sha256,
    bytes: model.artifact.length,
    gzipBytes: gzipSync(model.artifact).length,
    sourceSha256: model.sourceSha256,
  };
  compiled.set(key, built);
  return built;
}

/** A built artifact's inputs and outputs as the Worker's model metadata reports them. */
export function builtModelTensors(artifactPath: string): { inputs: TensorMetadataJson[]; outputs: TensorMetadataJson[] } {
  const { graph } = readArtifact(readFileSync(artifactPath));
  const labels = zipMapLabels(graph);
  return { inputs: graph.inputs.map((v) => tensorMetadata(v)), outputs: graph.outputs.map((v) => tensorMetadata(v, labels.get(v.name))) };
}

/** The WebAssembly kernels file when it has been built (`worker/wasm/kernels.wasm`); the runtime falls back to JavaScript without it. */
export function findKernelsWasm(): BuiltFile | undefined {
  const candidates = [path.resolve(__dirname, '..', 'worker', 'wasm', 'kernels.wasm'), path.resolve(__dirname, '..', '..', 'worker', 'wasm', 'kernels.wasm')];
  const file = candidates.find((c) => existsSync(c));
  if (!file) return undefined;
  const bytes = readFileSync(file);
  return { path: file, sha256: sha256Hex(bytes), bytes: bytes.length, gzipBytes: gzipSync(bytes).length };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes bytes under a name derived from their hash, atomically, unless an equal file is already there. */
function writeContentAddressed(dir: string, name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  if (existsSync(file) && statSync(file).size === bytes.length) return file;
  mkdirSync(dir, { recursive: true });
  const ignore = path.join(dir, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '# model-edge build cache\n*\n');
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
  return file;
}
