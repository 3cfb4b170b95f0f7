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
import { compileModelFile, shardArtifactWeights, type Int8Accuracy, type WeightPrecision, type WorkingSet } from './model-compiler';
import { workerBundle } from './worker-bundle';
import { artifactOps } from './kernel-selection';
import { readArtifact, weightsManifestOf, type ArtifactHeader } from '../worker/runtime/artifact';
import { wholeBlob } from '../worker/runtime/weight-segments';
import { tensorMetadata, type TensorMetadataJson } from '../worker/protocol/v2-response';
import { zipMapLabels } from '../worker/protocol/zipmap-labels';
import { readArtifactHeader } from './model-compiler/artifact-header';

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

/** One ES module of the Worker's code. */
export interface BuiltModule {
  /** The module's upload name, e.g. `worker.js`. */
  readonly name: string;
  /** Absolute path of the file. */
  readonly path: string;
}

/** The Worker's code: its ES modules, written into a directory of their own. */
export interface BuiltBundle {
  /** Absolute path of the directory that holds exactly these modules (`worker-<sha>/`). */
  readonly directory: string;
  /** The modules by upload name, the main module (`worker.js`) first. */
  readonly modules: BuiltModule[];
  /** Hex SHA-256 over the modules' names and bytes. */
  readonly sha256: string;
  /** Total size in bytes. */
  readonly bytes: number;
  /** Sum of the modules' sizes after gzip, which counts against the Workers script size limit. */
  readonly gzipBytes: number;
  /** Module names the code imports from beside it, e.g. './model.bin', './kernels.wasm'. */
  readonly externalImports: string[];
  /** The ops whose kernels the code carries ("domain:Op", '' for ai.onnx). */
  readonly ops: string[];
}

/** A compiled model artifact. */
export interface BuiltModel extends BuiltFile {
  /** Hex SHA-256 of the source model file. */
  readonly sourceSha256: string;
  /** Bytes of the weights blob (in the file, or in the shards). */
  readonly weightBytes: number;
  /** Bytes of float32 the Worker creates when it dequantizes int8 weights on load (0 for float32). */
  readonly dequantizedBytes: number;
  /** With int8 weights: the accuracy change against float32. */
  readonly int8?: Int8Accuracy;
  /** The runtime's working set per request, when measurable. */
  readonly workingSet?: WorkingSet;
  /** When the weights are static assets: the directory of sha256-named shard files. */
  readonly weights?: BuiltWeights;
  /** The ops of the compiled graph and its subgraphs ("domain:Op", '' for ai.onnx): the kernels a Worker serving it carries. */
  readonly ops: string[];
}

/** A model's weights as static assets. */
export interface BuiltWeights {
  /** Absolute path of the directory that holds exactly this model's shards. */
  readonly directory: string;
  readonly shards: number;
  readonly bytes: number;
}

export interface ModelBuildOptions {
  /** @default 'float32' */
  readonly precision?: WeightPrecision;
}

/**
 * Default directory for built files: `.model-edge/cache` in the working directory (the project
 * folder when cdktf runs the app), never a folder shared by every user and project. The folder
 * carries its own `.gitignore`, so it stays out of version control without a change to the project's.
 */
export function defaultBuildDir(): string {
  return path.resolve('.model-edge', 'cache');
}

/** What the Worker's code is built for. */
export interface WorkerBuildOptions {
  /** The ops of the models the Worker serves (BuiltModel.ops): it carries their kernels. @default every kernel */
  readonly ops?: Iterable<string>;
  /** The team's hooks module, bundled in. */
  readonly hooksEntry?: string;
}

/**
 * The Worker's code, written into `worker-<sha>/`: modules of the prebuilt split build carrying
 * the kernels of the models' ops, or, with a hooks module, one module bundled now around the
 * team's code.
 */
export function buildWorkerBundle(buildDir: string = defaultBuildDir(), options: WorkerBuildOptions = {}): BuiltBundle {
  const bundle = workerBundle({ ops: options.ops, hooksEntry: options.hooksEntry });
  const directory = path.join(buildDir, `worker-${bundle.sha256.slice(0, 16)}`);
  ignoreBuildDir(buildDir);
  const modules = bundle.modules.map((m) => ({ name: m.name, path: writeContentAddressed(directory, m.name, m.code, false) }));
  return {
    directory,
    modules,
    sha256: bundle.sha256,
    bytes: bundle.modules.reduce((n, m) => n + m.code.length, 0),
    gzipBytes: bundle.gzipBytes,
    externalImports: bundle.externalImports,
    ops: [...bundle.ops],
  };
}

const compiled = new Map<string, BuiltModel>();

/**
 * Compiles a model file into the Worker's data module, written as `<sha>.bin`. Throws when the file
 * is missing or unreadable, and the compiler's ModelCompileError when the model is not supported.
 */
export function buildModelArtifact(modelPath: string, buildDir: string = defaultBuildDir(), options: ModelBuildOptions = {}): BuiltModel {
  const source = path.resolve(modelPath);
  const stat = statSync(source);
  const precision = options.precision ?? 'float32';
  const key = `${source}:${stat.size}:${stat.mtimeMs}:${buildDir}:${precision}`;
  const hit = compiled.get(key);
  if (hit && existsSync(hit.path)) return hit;
  const model = compileModelFile(source, { precision });
  const file = writeContentAddressed(buildDir, `${model.sha256}.bin`, model.artifact);
  const layout = artifactLayout(model.artifact);
  const built: BuiltModel = {
    path: file,
    sha256: model.sha256,
    bytes: model.artifact.length,
    gzipBytes: gzipSync(model.artifact).length,
    sourceSha256: model.sourceSha256,
    weightBytes: layout.blobBytes,
    dequantizedBytes: layout.dequantizedBytes,
    ...(model.int8 ? { int8: model.int8 } : {}),
    ...(model.workingSet ? { workingSet: model.workingSet } : {}),
    ops: artifactOps(model.artifact),
  };
  compiled.set(key, built);
  return built;
}

/** A built artifact's inputs and outputs as the Worker's model metadata reports them. */
export function builtModelTensors(artifactPath: string): { inputs: TensorMetadataJson[]; outputs: TensorMetadataJson[] } {
  const bytes = readFileSync(artifactPath);
  // The signature needs the graph, not the weights: an artifact whose weights are in shards is read with blank ones.
  const manifest = weightsManifestOf(bytes);
  const { graph } = readArtifact(bytes, manifest ? wholeBlob(new Uint8Array(manifest.bytes)) : undefined);
  const labels = zipMapLabels(graph);
  return { inputs: graph.inputs.map((v) => tensorMetadata(v)), outputs: graph.outputs.map((v) => tensorMetadata(v, labels.get(v.name))) };
}

/**
 * The same model with its weights moved into sha256-named shard files (at most 25 MiB each) in a
 * directory of their own, `weights-<artifact sha>/`, and the artifact reduced to graph + manifest.
 */
export function shardModelWeights(model: BuiltModel, buildDir: string = defaultBuildDir()): BuiltModel {
  if (model.weights) return model;
  const sharded = shardArtifactWeights(readFileSync(model.path));
  const sha256 = sha256Hex(sharded.artifact);
  const directory = path.join(buildDir, `weights-${sha256.slice(0, 16)}`);
  for (const shard of sharded.shards) writeContentAddressed(directory, shard.sha256, shard.bytes, false);
  const file = writeContentAddressed(buildDir, `${sha256}.bin`, sharded.artifact);
  return {
    ...model,
    path: file,
    sha256,
    bytes: sharded.artifact.length,
    gzipBytes: gzipSync(sharded.artifact).length,
    weights: { directory, shards: sharded.shards.length, bytes: sharded.shards.reduce((n, s) => n + s.length, 0) },
  };
}

/**
 * The length of an (unsharded) artifact's weights blob, and the float32 bytes the Worker creates
 * when it dequantizes the int8 tensors on load.
 */
export function artifactLayout(artifact: Uint8Array): { blobBytes: number; dequantizedBytes: number } {
  const { header, blobOffset } = readArtifactHeader(artifact);
  return { blobBytes: artifact.byteLength - blobOffset, dequantizedBytes: dequantizedBytes(header) };
}

/** float32 bytes the Worker allocates when it dequantizes the artifact's int8 tensors (top graph only: see int8-quantize.ts). */
function dequantizedBytes(header: ArtifactHeader): number {
  return header.graph.initializers.reduce((n, [, t]) => n + ('int8' in t && t.int8 ? t.length * 4 : 0), 0);
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

/** Gives the build directory a .gitignore that keeps it out of version control. */
function ignoreBuildDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const ignore = path.join(dir, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '# model-edge build cache\n*\n');
}

/**
 * Writes bytes under a name derived from their hash, atomically, unless an equal file is already
 * there. A directory uploaded whole (weights shards, the Worker's modules) gets no .gitignore of its
 * own (it would be uploaded too; the build directory's covers it).
 */
function writeContentAddressed(dir: string, name: string, bytes: Uint8Array, ignoreFile = true): string {
  const file = path.join(dir, name);
  if (existsSync(file) && statSync(file).size === bytes.length) return file;
  if (ignoreFile) ignoreBuildDir(dir);
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
  return file;
}
