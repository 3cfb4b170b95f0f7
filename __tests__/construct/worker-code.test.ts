/**
 * The Worker's code as a deployment uploads it: the split build's entry, the kernel modules of the
 * ops the model's graph names (subgraphs included), the chunks they import and model-kernels.js.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileModel } from '../../lib/model-compiler';
import { buildModelArtifact, buildWorkerBundle } from '../../lib/model-build';
import { artifactOps, kernelExports } from '../../lib/kernel-selection';
import { MAIN_MODULE, MODEL_KERNELS_MODULE, workerBundle, type WorkerBundle } from '../../lib/worker-bundle';
import { supportedOps } from '../../worker/runtime/kernels/registry';
import { Miniflare } from 'miniflare';
import { DT, floatTensor, modelBytes, node, valueInfo } from '../compiler/onnx-builder';
import { modelConfigText } from '../worker/support/app-harness';
import { COMPATIBILITY_DATE, workerModules } from '../worker/support/workerd';

/** y = If(cond) then Relu(x) else Neg(x), with Sigmoid before it in the main graph. */
function ifModel(): Uint8Array {
  const branch = (op: string, name: string) => ({ name, node: [node(op, ['s'], [`${name}_out`])], input: [], output: [valueInfo(`${name}_out`, DT.FLOAT)], initializer: [] });
  return modelBytes({
    nodes: [
      node('Sigmoid', ['x'], ['s']),
      node('If', ['cond'], ['y'], [
        { name: 'then_branch', type: 5, g: branch('Relu', 'then') },
        { name: 'else_branch', type: 5, g: branch('Neg', 'else') },
      ]),
    ],
    inputs: [valueInfo('cond', DT.BOOL, []), valueInfo('x', DT.FLOAT, [1, 3])],
    outputs: [valueInfo('y', DT.FLOAT)],
  });
}

const text = (bundle: WorkerBundle, name: string) => new TextDecoder().decode(bundle.modules.find((m) => m.name === name)!.code);

describe('kernel selection', () => {
  it('lists the ops of the graph and of every subgraph', () => {
    expect(artifactOps(compileModel(ifModel()).artifact)).toEqual([':If', ':Neg', ':Relu', ':Sigmoid']);
  });

  it('finds every kernel of the runtime as a named export of one kernel file', () => {
    const exports = kernelExports();
    expect([...exports.keys()].sort()).toEqual(supportedOps());
    for (const where of exports.values()) expect(where.file).toMatch(/^[a-z-]+\/[a-z0-9-]+$/);
  });
});

describe('the Worker code for a set of ops', () => {
  const ops = artifactOps(compileModel(ifModel()).artifact);
  const bundle = workerBundle({ ops });

  it('starts with the entry and the kernel list', () => {
    expect(bundle.modules.slice(0, 2).map((m) => m.name)).toEqual([MAIN_MODULE, MODEL_KERNELS_MODULE]);
    expect(bundle.ops).toEqual(ops);
    expect(text(bundle, MODEL_KERNELS_MODULE).match(/^import /gm)).toHaveLength(ops.length);
  });

  it('carries the kernel modules of those ops and no other', () => {
    const exports = kernelExports();
    const kernelModules = bundle.modules.map((m) => m.name).filter((n) => n.startsWith('kernels-'));
    const wanted = new Set(ops.map((op) => `kernels-${exports.get(op)!.file.replace(/\//g, '-')}.js`));
    expect(new Set(kernelModules)).toEqual(wanted);
  });

  it('carries every module its modules import, and the entry imports only the listed non-JavaScript modules besides', () => {
    const names = new Set(bundle.modules.map((m) => m.name));
    for (const m of bundle.modules) {
      for (const [, imported] of text(bundle, m.name).matchAll(/(?:from|import)\s*"\.\/([^"]+)"/g)) {
        if (names.has(imported)) continue;
        expect(bundle.externalImports).toContain(`./${imported}`);
      }
    }
    expect(bundle.externalImports).toEqual(['./kernels.wasm', './model.bin']);
  });

  it('is much smaller than the code with every kernel', () => {
    expect(bundle.gzipBytes).toBeLessThan(workerBundle().gzipBytes / 2);
  });

  it('is the same for the same ops in any order, and differs for other ops', () => {
    expect(workerBundle({ ops: [...ops].reverse() }).sha256).toBe(bundle.sha256);
    expect(workerBundle({ ops: [':Relu'] }).sha256).not.toBe(bundle.sha256);
  });

  it('names an op the runtime has no kernel for, and the fix', () => {
    expect(() => workerBundle({ ops: [':NoSuchOp'] })).toThrow(/no kernel for :NoSuchOp\. Fix: compile the model with this version of model-edge/);
  });
});

describe('the Worker code a deployment builds', () => {
  it('carries the kernels of every version\'s model, written as files under one directory', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-worker-code-'));
    const matmulModel = modelBytes({
      nodes: [node('MatMul', ['x', 'w'], ['y'])],
      inputs: [valueInfo('x', DT.FLOAT, [1, 3])],
      outputs: [valueInfo('y', DT.FLOAT)],
      initializers: [floatTensor('w', [3, 2], [1, 2, 3, 4, 5, 6])],
    });
    const versions = [ifModel(), matmulModel].map((bytes, i) => {
      const file = path.join(dir, `v${i}.onnx`);
      writeFileSync(file, bytes);
      return { bytes, built: buildModelArtifact(file, path.join(dir, 'build')) };
    });
    // each compiled model names its ops, subgraphs included
    for (const v of versions) expect(v.built.ops).toEqual(artifactOps(compileModel(v.bytes).artifact));
    const built = buildWorkerBundle(path.join(dir, 'build'), { ops: versions.flatMap((v) => v.built.ops) });
    expect(built.ops).toEqual([':If', ':MatMul', ':Neg', ':Relu', ':Sigmoid']);
    expect(built.modules[0].name).toBe(MAIN_MODULE);
    for (const m of built.modules) expect([path.dirname(m.path), existsSync(m.path)]).toEqual([built.directory, true]);
    expect(existsSync(path.join(dir, 'build', '.gitignore'))).toBe(true);
  });
});

describe('a Worker carrying only its model\'s kernels, in workerd', () => {
  let mf: Miniflare;
  beforeAll(async () => {
    const artifact = compileModel(ifModel()).artifact;
    mf = new Miniflare({ compatibilityDate: COMPATIBILITY_DATE, modulesRoot: '/worker', modules: workerModules(artifact), bindings: { MODEL_CONFIG: modelConfigText('branchy') } });
    await mf.ready;
  }, 60_000);
  afterAll(() => mf?.dispose());

  it('runs both branches of the If, whose kernels only the subgraphs name', async () => {
    const infer = async (cond: boolean) => {
      const res = await mf.dispatchFetch('https://edge.example.com/v2/models/branchy/infer', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: [{ name: 'cond', shape: [], datatype: 'BOOL', data: [cond] }, { name: 'x', shape: [1, 3], datatype: 'FP32', data: [-2, 0, 2] }] }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { outputs: Array<{ data: number[] }> }).outputs[0].data;
    };
    const sigmoid = [-2, 0, 2].map((v) => Math.fround(1 / (1 + Math.exp(-v))));
    expect((await infer(true)).map((v) => Math.fround(v))).toEqual(sigmoid.map((v) => expect.closeTo(v, 6)));
    expect((await infer(false)).map((v) => Math.fround(v))).toEqual(sigmoid.map((v) => expect.closeTo(-v, 6)));
  });
});
