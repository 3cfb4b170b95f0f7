/**
 * The three inference engines the suite compares, behind one small interface:
 *   ours      compileModel -> readArtifact -> InferenceSession, WebAssembly kernels installed
 *   ort-web   onnxruntime-web, WebAssembly SIMD, one thread, in Node
 *   ort-node  onnxruntime-node, native CPU, one intra-op and one inter-op thread
 * Outputs are turned into one canonical form (flat numbers or strings; ZipMap rows as their values
 * in key order) so that agreement can be checked before anything is timed.
 */
import { compileModel } from '../../lib/model-compiler';
import { installWasmKernels } from '../../lib/wasm-module';
import { readArtifact } from '../../worker/runtime/artifact';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { MapRowsTensor, type Tensor } from '../../worker/runtime/tensor';
import type { Timed } from './timing';

type Ort = typeof import('onnxruntime-node');
type OrtTensor = import('onnxruntime-node').Tensor;
type OrtSession = import('onnxruntime-node').InferenceSession;

export type Canonical = { readonly kind: 'numbers'; readonly values: number[] } | { readonly kind: 'strings'; readonly values: string[] };

export interface BoundRun {
  /** one inference (sync for ours, a promise for onnxruntime) */
  readonly run: Timed;
  /** the outputs of one inference, canonical */
  result(): Promise<Record<string, Canonical>>;
}

export interface LoadedModel {
  bind(feeds: Readonly<Record<string, Tensor>>): BoundRun;
  /** why some outputs are not produced by this engine, if so */
  readonly note?: string;
  release(): Promise<void>;
}

export interface Engine {
  readonly name: string;
  load(onnx: Uint8Array): Promise<LoadedModel>;
}

function canonicalRows(rows: readonly unknown[]): Canonical {
  const values: number[] = [];
  for (const row of rows) {
    const entries: [string, number][] = row instanceof Map ? [...row].map(([k, v]) => [String(k), Number(v)]) : Object.entries(row as Record<string, number>).map(([k, v]) => [k, Number(v)]);
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [, v] of entries) values.push(v);
  }
  return { kind: 'numbers', values };
}

export function canonicalOurs(t: Tensor): Canonical {
  if (t instanceof MapRowsTensor) {
    const [n, c] = t.shape;
    const rows = Array.from({ length: n }, (_, r) => new Map(t.keys.map((k, j) => [k, t.data[r * c + j]])));
    return canonicalRows(rows);
  }
  if (t.dtype === 'string') return { kind: 'strings', values: [...(t.data as string[])] };
  return { kind: 'numbers', values: Array.from(t.data as ArrayLike<number | bigint>, Number) };
}

function canonicalOrt(v: unknown): Canonical {
  if (Array.isArray(v)) return canonicalRows(v);
  const t = v as OrtTensor;
  if (t.type === 'string') return { kind: 'strings', values: [...(t.data as string[])] };
  return { kind: 'numbers', values: Array.from(t.data as ArrayLike<number | bigint>, Number) };
}

export const ours: Engine = {
  name: 'ours',
  async load(onnx) {
    installWasmKernels();
    const session = InferenceSession.create(readArtifact(compileModel(onnx).artifact), { kernels: allKernels });
    return {
      bind(feeds) {
        return {
          run: () => session.run(feeds),
          async result() {
            const out = session.run(feeds);
            return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, canonicalOurs(t)]));
          },
        };
      },
      async release() {},
    };
  },
};

function ortEngine(name: string, ort: Ort, options: import('onnxruntime-node').InferenceSession.SessionOptions): Engine {
  return {
    name,
    async load(onnx) {
      const session: OrtSession = await ort.InferenceSession.create(onnx, options);
      // onnxruntime-web returns tensors only (no ZipMap sequences of maps): ask it for those.
      let fetches: string[] | undefined;
      let note: string | undefined;
      return {
        bind(feeds) {
          const ortFeeds: Record<string, OrtTensor> = {};
          for (const [k, t] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor(t.dtype as 'float32', t.data as Float32Array, [...t.shape]);
          const run = () => (fetches ? session.run(ortFeeds, fetches) : session.run(ortFeeds));
          return {
            run,
            async result() {
              let out: Record<string, unknown>;
              try {
                out = await run();
              } catch (e) {
                const tensorsOnly = session.outputMetadata.filter((m) => m.isTensor).map((m) => m.name);
                if (fetches || tensorsOnly.length === session.outputNames.length || tensorsOnly.length === 0) throw e;
                fetches = tensorsOnly;
                const reason = (e as Error).message.split('\n')[0].split('. ')[0].slice(0, 80);
                note = `${name} cannot return ${session.outputNames.filter((n) => !tensorsOnly.includes(n)).join(', ')} ("${reason}"), so it is timed producing ${tensorsOnly.join(', ')} only (ours produces every output)`;
                out = await run();
              }
              return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, canonicalOrt(v)]));
            },
          };
        },
        get note() {
          return note;
        },
        async release() {
          await session.release();
        },
      };
    },
  };
}

let ortNode: Engine | undefined;
let ortWeb: Engine | undefined;

export function ortNodeEngine(): Engine {
  if (!ortNode) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const ort = require('onnxruntime-node') as Ort;
    ortNode = ortEngine('ort-node', ort, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  }
  return ortNode;
}

export function ortWebEngine(): Engine {
  if (!ortWeb) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const ort = require('onnxruntime-web') as Ort & { env: { wasm: { numThreads: number; simd?: boolean } } };
    ort.env.wasm.numThreads = 1;
    ortWeb = ortEngine('ort-web', ort, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  }
  return ortWeb;
}

/** Largest absolute difference between two canonical output sets (over `a`'s outputs present in `b`). */
export function outputsDiff(a: Record<string, Canonical>, b: Record<string, Canonical>): { maxAbs: number; compared: string[]; problems: string[] } {
  let maxAbs = 0;
  const compared: string[] = [];
  const problems: string[] = [];
  for (const [name, x] of Object.entries(a)) {
    const y = b[name];
    if (!y) continue;
    compared.push(name);
    if (x.kind !== y.kind || x.values.length !== y.values.length) {
      problems.push(`${name}: ${x.kind}[${x.values.length}] vs ${y.kind}[${y.values.length}]`);
      continue;
    }
    if (x.kind === 'strings') {
      const differ = x.values.filter((v, i) => v !== y.values[i]).length;
      if (differ) problems.push(`${name}: ${differ} of ${x.values.length} strings differ`);
      continue;
    }
    const ys = y.values as number[];
    x.values.forEach((v, i) => {
      const d = Math.abs(v - ys[i]);
      if (Number.isNaN(d) && !(Number.isNaN(v) && Number.isNaN(ys[i]))) problems.push(`${name}[${i}]: ${v} vs ${ys[i]}`);
      else if (d > maxAbs) maxAbs = d;
    });
  }
  if (compared.length === 0) problems.push('no output in common');
  return { maxAbs, compared, problems: problems.slice(0, 3) };
}
