/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * The branch-free lockstep walk (float32 inputs, all-BRANCH_LEQ trees, batches of 4 rows and more)
 * must pick the same leaves as onnxruntime's float32 comparisons, on the values where an
 * order-preserving key could go wrong: -0 / +0, NaN, infinities, subnormals and exact thresholds.
 */
import { attr, buildModel, input, node, output } from '../../support/onnx-builder';
import { Tensor } from '../../../worker/runtime/tensor';
import { keyOf } from '../../../worker/runtime/kernels/ml/tree-ensemble-fast';
import * as wasmWalk from '../../../worker/runtime/kernels/ml/tree-ensemble-wasm';
import { installWasmKernels } from '../../../lib/wasm-module';
import { useWasmKernels, wasmKernels } from '../../../worker/runtime/wasm';
import { checkAgainstOrt, ML } from './ml-check';
import { runOurs } from '../../support/run-ours';
import { randomTrees, type RandomTreesOptions } from './random-trees';

const EDGE_VALUES = [0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45, 1.1754942e-38, -3.4028235e38, 3.4028235e38, 0.25, -0.25, 0.5, -1, 1, 1.0000001, 0.99999994];
const THRESHOLDS = [-0, 0, 0.25, -0.25, 0.5, -1, 1, 1e-45, -1e-45, Infinity, -Infinity, 3.4028235e38];

function edgeRows(seed: number, rows: number, features: number): Float32Array {
  const out = new Float32Array(rows * features);
  let s = seed;
  for (let i = 0; i < out.length; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    out[i] = EDGE_VALUES[s % EDGE_VALUES.length];
  }
  return out;
}

function model(o: RandomTreesOptions, aggregate: string) {
  const l = randomTrees(o);
  // Thresholds drawn from the edge values instead of the default grid.
  const values = l.nodes_values.map((v, i) => (l.nodes_modes[i] === 'LEAF' ? v : THRESHOLDS[i % THRESHOLDS.length]));
  return {
    opsets: { '': 17, [ML]: 3 },
    inputs: [input('X', 'float32', ['N', o.features])],
    outputs: [output('Y', 'float32', ['N', o.targets])],
    nodes: [
      node('TreeEnsembleRegressor', ['X'], ['Y'], {
        n_targets: attr.int(o.targets),
        aggregate_function: attr.string(aggregate),
        nodes_treeids: attr.ints(l.nodes_treeids),
        nodes_nodeids: attr.ints(l.nodes_nodeids),
        nodes_featureids: attr.ints(l.nodes_featureids),
        nodes_modes: attr.strings(l.nodes_modes),
        nodes_values: attr.floats(values),
        nodes_truenodeids: attr.ints(l.nodes_truenodeids),
        nodes_falsenodeids: attr.ints(l.nodes_falsenodeids),
        target_treeids: attr.ints(l.w_treeids),
        target_nodeids: attr.ints(l.w_nodeids),
        target_ids: attr.ints(l.w_ids),
        target_weights: attr.floats(l.w_weights),
      }, ML),
    ],
  };
}

describe('keyOf', () => {
  it('decides v <= t exactly as float32 comparison does, for edge values', () => {
    for (const v of EDGE_VALUES) {
      for (const t of THRESHOLDS) {
        const fv = Math.fround(v);
        const ft = Math.fround(t);
        expect([fv, ft, (keyOf(ft) + 1 - keyOf(fv)) | 0]).toEqual([fv, ft, fv <= ft ? 1 : 0]);
      }
    }
  });
});

describe.each([false, true])('TreeEnsembleRegressor lockstep walk against onnxruntime (wasm kernels: %s)', (wasm) => {
  const features = 6;
  beforeAll(() => (wasm ? installWasmKernels() : useWasmKernels(null)));
  afterAll(() => useWasmKernels(null));
  for (const targets of [1, 2]) {
    for (const rows of [1, 3, 4, 5, 8, 13, 32]) {
      it(`boosting-like trees (one weight per leaf), SUM, ${targets} target(s), ${rows} row(s)`, async () => {
        const spy = jest.spyOn(wasmWalk, 'addTreeSumsWasm');
        const o: RandomTreesOptions = { seed: 100 + rows + 50 * targets, trees: 20, maxDepth: 6, features, targets, votes: 'one' };
        const X = new Tensor('float32', [rows, features], edgeRows(rows, rows, features));
        const ours = await checkAgainstOrt(model(o, 'SUM'), { X });
        // batches of 4 rows and more take the WebAssembly walk when the kernels are installed
        const tookWasm = spy.mock.calls.length > 0;
        spy.mockRestore();
        expect(tookWasm).toBe(wasm && rows >= 4);
        // one target keeps each row's sum in a local across the trees: still the JavaScript walk's bits
        const installed = wasmKernels();
        useWasmKernels(null);
        try {
          expect(Array.from(runOurs(buildModel(model(o, 'SUM')), { X }).Y.data as Float32Array)).toEqual(Array.from(ours.Y.data as Float32Array));
        } finally {
          if (installed) installWasmKernels();
        }
      });
    }
  }
  for (const aggregate of ['SUM', 'AVERAGE', 'MIN', 'MAX']) {
    it(`random forest (every leaf votes for 3 targets), ${aggregate}, 21 rows`, async () => {
      const spy = jest.spyOn(wasmWalk, 'addTreeSumsWasm');
      const o: RandomTreesOptions = { seed: 7, trees: 15, maxDepth: 7, features, targets: 3, votes: 'all' };
      const X = new Tensor('float32', [21, features], edgeRows(99, 21, features));
      const ours = await checkAgainstOrt(model(o, aggregate), { X });
      // summed votes (SUM, AVERAGE) take the WebAssembly walk with each leaf's list of weights
      const tookWasm = spy.mock.calls.length > 0;
      spy.mockRestore();
      expect(tookWasm).toBe(wasm && (aggregate === 'SUM' || aggregate === 'AVERAGE'));
      // and give the JavaScript walk's values bit for bit
      const installed = wasmKernels();
      useWasmKernels(null);
      try {
        expect(Array.from(runOurs(buildModel(model(o, aggregate)), { X }).Y.data as Float32Array)).toEqual(Array.from(ours.Y.data as Float32Array));
      } finally {
        if (installed) installWasmKernels();
      }
    });
  }
});
