/**
 * The wire-format pass that counts an .onnx file's nodes, messages and list entries and measures
 * its subgraph nesting before protobufjs decodes it (lib/model-compiler/wire-scan.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { onnx } from 'onnx-proto';
import * as os from 'os';
import * as path from 'path';
import { compileModel, compileModelFile, importOnnx, ModelCompileError } from '../../lib/model-compiler';
import { scanModelWire, WireLimits } from '../../lib/model-compiler/wire-scan';
import { ModelError } from '../../worker/runtime/errors';
import { AT, DT, modelBytes, node, reluAddModel, valueInfo } from './onnx-builder';

const LIMITS: WireLimits = { maxNodes: 10_000, maxSubgraphDepth: 64, maxMessages: 1_000_000, maxValues: 8_000_000 };

/** Relu inside `depth` nested If then-branches (else branches omitted: only the nesting matters here). */
function nestedIf(depth: number): Uint8Array {
  let inner: onnx.IGraphProto = { name: 'leaf', node: [node('Relu', ['x'], ['out'])], output: [valueInfo('out', DT.FLOAT)] };
  for (let d = 0; d < depth; d++) {
    inner = { name: `g${d}`, node: [node('If', ['c'], ['out'], [{ name: 'then_branch', type: AT.GRAPH, g: inner }])], output: [valueInfo('out', DT.FLOAT)] };
  }
  return onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph: { ...inner, input: [valueInfo('x', DT.FLOAT, [2]), valueInfo('c', DT.BOOL, [])] } }).finish();
}

describe('scanModelWire', () => {
  it('counts what the decoder would build, subgraphs included', () => {
    expect(scanModelWire(reluAddModel(), LIMITS)).toMatchObject({ nodes: 2, subgraphDepth: 0 });
    expect(scanModelWire(nestedIf(5), LIMITS)).toMatchObject({ nodes: 6, subgraphDepth: 5 });
    const decoded = onnx.ModelProto.decode(reluAddModel());
    expect(decoded.graph!.node).toHaveLength(2);
  });

  it('refuses nesting past the limit before decoding, and accepts it up to the limit', () => {
    expect(scanModelWire(nestedIf(64), LIMITS).subgraphDepth).toBe(64);
    expect(() => scanModelWire(nestedIf(65), LIMITS)).toThrow(/subgraphs are nested more than 64 deep; flatten the control flow/);
    // the importer agrees with the scan about where the limit lies
    expect(importOnnx(nestedIf(64), { problems: [] }).graph.nodes[0].op).toBe('If');
  });

  it('honours the node limit given to the compiler', () => {
    expect(() => compileModel(reluAddModel(), { limits: { maxNodes: 1 } })).toThrow(/the model has 2 nodes, above the limit of 1 .*counted before decoding/);
    expect(() => scanModelWire(reluAddModel(), { ...LIMITS, maxMessages: 3 })).toThrow(/holds \d+ protobuf messages .*above the limit of 3/);
    const tensor = modelBytes({
      inputs: [valueInfo('x', DT.INT64, [5])],
      outputs: [valueInfo('y', DT.INT64)],
      initializers: [{ name: 'w', dims: [5], dataType: DT.INT64, int64Data: [1, 2, 3, 4, 5] }],
      nodes: [node('Add', ['x', 'w'], ['y'])],
    });
    // 5 int64_data values, the initializer's and the input's dims, 3 node inputs and outputs, 1 opset import
    expect(scanModelWire(tensor, LIMITS).values).toBe(11);
    expect(() => scanModelWire(tensor, { ...LIMITS, maxValues: 10 })).toThrow(/holds 11 list entries outside raw_data .*above the limit of 10/);
  });

  it('reports truncated and malformed files as not ONNX, naming the byte', () => {
    const bytes = reluAddModel();
    expect(() => scanModelWire(bytes.subarray(0, bytes.length - 5), LIMITS)).toThrow(/not a valid ONNX model .*at byte \d+/);
    expect(() => scanModelWire(new Uint8Array([0x3b, 0x00]), LIMITS)).toThrow(/protobuf groups are not used by ONNX/);
    expect(() => scanModelWire(new Uint8Array([0x3a, 0x05, 0x0a, 0x09, 0, 0, 0]), LIMITS)).toThrow(ModelError);
  });

  it('refuses a file over the size limit before reading it', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'model-edge-size-')), 'model.onnx');
    writeFileSync(file, reluAddModel());
    expect(() => compileModelFile(file, { limits: { maxFileBytes: 16 } })).toThrow(ModelCompileError);
    expect(() => compileModelFile(file, { limits: { maxFileBytes: 16 } })).toThrow(/model\.onnx: .*the model file has \d+ bytes, above the limit of 16 bytes .*cannot be deployed/s);
    rmSync(path.dirname(file), { recursive: true });
  });
});
