/**
 * Which kernels a Worker carries. Kernels are most of the runtime's code, and a model uses a
 * handful of the ~200 ops, so a Worker is built with the kernels of the ops its models' graphs name
 * and nothing else (lib/worker-bundle.ts): at synth time the graph is final, compiler fusions
 * included, so the list is exact.
 *
 * A kernel is found by the file that exports it: every kernel is a named export of one file under
 * worker/runtime/kernels (the family index files only list them). `kernelExports` checks that
 * every kernel of the registry is such an export, so a kernel added the wrong way fails the build
 * rather than a deployed Worker.
 */
import { readdirSync, statSync } from 'fs';
import * as path from 'path';
import type { AttributeJson, GraphJson } from '../worker/runtime/artifact';
import type { AnyKernel } from '../worker/runtime/kernel';
import { kernelKey } from '../worker/runtime/kernel-set';
import { allKernels } from '../worker/runtime/kernels/registry';
import { readArtifactHeader } from './model-compiler/artifact-header';

/** Where a kernel is exported: a file under worker/runtime/kernels and the export's name. */
export interface KernelExport {
  /** path relative to worker/runtime/kernels, '/'-separated, without extension */
  readonly file: string;
  readonly exportName: string;
}

/** The ops ("domain:Op", '' for ai.onnx) of an artifact's graph and of every subgraph in it. */
export function artifactOps(artifact: Uint8Array): string[] {
  const ops = new Set<string>();
  const visit = (graph: GraphJson) => {
    for (const node of graph.nodes) {
      ops.add(kernelKey(node.domain ?? '', node.op));
      for (const value of Object.values(node.attributes ?? {})) for (const g of subgraphsOf(value)) visit(g);
    }
  };
  visit(readArtifactHeader(artifact).header.graph);
  return [...ops].sort();
}

function subgraphsOf(value: AttributeJson): GraphJson[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  if ('graph' in value) return [value.graph];
  if ('graphs' in value) return value.graphs;
  return [];
}

/** The kernels directory beside this module's `lib` (sources in the repository, compiled JS in the package). */
const KERNELS_DIR = path.resolve(__dirname, '..', 'worker', 'runtime', 'kernels');
const LISTING_FILES = new Set(['index', 'registry']);

let exportsCache: ReadonlyMap<string, KernelExport> | undefined;

/** Every op of the runtime with the file and export that define its kernel. */
export function kernelExports(): ReadonlyMap<string, KernelExport> {
  if (exportsCache) return exportsCache;
  const owner = new Map<AnyKernel, KernelExport>();
  for (const file of kernelSourceFiles(KERNELS_DIR)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(path.join(KERNELS_DIR, file)) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(exported)) {
      if (isKernel(value) && !owner.has(value)) owner.set(value, { file, exportName });
    }
  }
  const byOp = new Map<string, KernelExport>();
  const unexported: string[] = [];
  for (const key of allKernels.keys()) {
    const [domain, op] = splitKey(key);
    const where = owner.get(allKernels.find(domain, op)!);
    if (where) byOp.set(key, where);
    else unexported.push(key);
  }
  if (unexported.length > 0) {
    throw new Error(`kernels ${unexported.join(', ')} are not named exports of a file under worker/runtime/kernels, so a Worker cannot carry them alone. Fix: export each kernel by name from the file that defines it.`);
  }
  exportsCache = byOp;
  return byOp;
}

function splitKey(key: string): [string, string] {
  const at = key.lastIndexOf(':');
  return [key.slice(0, at), key.slice(at + 1)];
}

function isKernel(value: unknown): value is AnyKernel {
  return typeof value === 'object' && value !== null && typeof (value as AnyKernel).op === 'string' && typeof (value as AnyKernel).run === 'function';
}

/** Kernel files relative to `dir`, without extension: .ts sources or compiled .js, never declarations or listings. */
function kernelSourceFiles(dir: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      files.push(...kernelSourceFiles(full, `${prefix}${name}/`));
      continue;
    }
    const match = /^(.*)\.(ts|js)$/.exec(name);
    if (!match || name.endsWith('.d.ts') || LISTING_FILES.has(match[1])) continue;
    files.push(`${prefix}${match[1]}`);
  }
  return files;
}

/** Kernel files that define at least one kernel (the build's entry points for kernel modules). */
export function kernelFiles(): string[] {
  return [...new Set([...kernelExports().values()].map((e) => e.file))].sort();
}

/** One import of a kernel list: the module to import from and the name the kernel is exported under. */
export interface KernelImport {
  readonly specifier: string;
  readonly exportName: string;
}

/**
 * Source that imports the given kernels and binds their list: `export default [...]` for the
 * Worker's `model-kernels.js`, or `const kernels = [...]` in an entry bundled around them.
 */
export function kernelListSource(imports: readonly KernelImport[], binding: 'export default' | 'const kernels =' = 'export default'): string {
  const lines = imports.map((k, i) => `import { ${k.exportName} as k${i} } from ${JSON.stringify(k.specifier)};`);
  lines.push(`${binding} [${imports.map((_, i) => `k${i}`).join(', ')}];`);
  return `${lines.join('\n')}\n`;
}

/** The error for an op the runtime has no kernel for (a model compiled by another version). */
export function noKernelError(op: string): Error {
  return new Error(`the runtime has no kernel for ${op}. Fix: compile the model with this version of model-edge (\`npx model-edge check\` lists unsupported ops).`);
}

/**
 * Source lines that import the kernels of `ops` from their source files and declare
 * `const kernels = [...]`: the prelude of an entry that esbuild bundles into one module (a hooks
 * deployment, the benchmarks' single-module builds).
 */
export function kernelSourcePrelude(ops: Iterable<string>, kernelsDir: string = KERNELS_DIR): string {
  const exports = kernelExports();
  const imports = [...new Set(ops)].sort().map((op) => {
    const where = exports.get(op);
    if (!where) throw noKernelError(op);
    return { specifier: path.join(kernelsDir, where.file), exportName: where.exportName };
  });
  return kernelListSource(imports, 'const kernels =');
}
