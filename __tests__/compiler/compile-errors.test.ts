import { compileModel, compileModelFile, ModelCompileError } from '../../lib/model-compiler';
import { importOnnx } from '../../lib/model-compiler/onnx-import';
import { AT, DT, floatTensor, intAttr, modelBytes, node, reluAddModel, valueInfo } from './onnx-builder';

/** The problems of a model that must not compile. */
function problemsOf(bytes: Uint8Array, options = {}): readonly string[] {
  try {
    compileModel(bytes, options);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelCompileError);
    return (e as ModelCompileError).problems;
  }
  throw new Error('expected the model to be rejected');
}

const io = { inputs: [valueInfo('x', DT.FLOAT, [1, 4])], outputs: [valueInfo('y', DT.FLOAT)] };

describe('compileModel rejects bad models with every problem at once', () => {
  it('lists each unsupported node with op, domain, opset and name, plus attribute errors', () => {
    const problems = problemsOf(
      modelBytes(
        {
          ...io,
          nodes: [
            node('FancyOp', ['x'], ['a'], [], { name: 'first' }),
            node('Softmax', ['a'], ['b'], [{ name: 'axis', type: AT.STRING, s: new TextEncoder().encode('one') }], { name: 'soft' }),
            node('Weird', ['b'], ['y'], [], { name: 'second', domain: 'com.example' }),
          ],
        },
        [['', 17], ['com.example', 2]],
      ),
    );
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe('unsupported op FancyOp (domain "ai.onnx", opset 17) in node "first"');
    expect(problems[1]).toMatch(/Softmax node "soft".*axis/);
    expect(problems[2]).toBe('unsupported op Weird (domain "com.example", opset 2) in node "second"');
  });

  it('rejects the compiler\'s own fused ops in a model file, naming the fix', () => {
    const problems = problemsOf(
      modelBytes({ ...io, nodes: [node('ConvChain', ['x'], ['y'], [], { name: 'chain', domain: 'ai.model-edge' })] }, [['', 17], ['ai.model-edge', 1]]),
    );
    expect(problems).toEqual([
      'op ConvChain (domain "ai.model-edge") in node "chain" is one model-edge\'s compiler makes from standard ops, never read from a model file; export the model with the standard ops it replaces',
    ]);
  });

  it('reports dangling names, duplicate producers and missing outputs together', () => {
    const problems = problemsOf(
      modelBytes({
        inputs: io.inputs,
        outputs: [valueInfo('y', DT.FLOAT), valueInfo('ghost', DT.FLOAT)],
        nodes: [node('Relu', ['nowhere'], ['y'], [], { name: 'r1' }), node('Relu', ['x'], ['y'], [], { name: 'r2' })],
      }),
    );
    const text = problems.join('\n');
    expect(text).toMatch(/value "y" is produced twice: by Relu node "r1" and by Relu node "r2"/);
    expect(text).toMatch(/Relu node "r1" reads "nowhere", which no node, graph input or initializer produces/);
    expect(text).toMatch(/graph output "ghost" is not produced/);
  });

  it('names the nodes of a cycle', () => {
    const problems = problemsOf(
      modelBytes({ ...io, nodes: [node('Add', ['x', 'b'], ['a'], [], { name: 'p' }), node('Relu', ['a'], ['b'], [], { name: 'q' }), node('Relu', ['a'], ['y'])] }),
    );
    expect(problems.join('\n')).toMatch(/cycle: Add node "p", Relu node "q"/);
  });

  it('enforces the node limit and rejects absurd dimensions', () => {
    expect(problemsOf(reluAddModel(), { limits: { maxNodes: 1 } }).join('\n')).toMatch(/2 nodes, above the limit of 1/);
    const huge = modelBytes({ inputs: [valueInfo('x', DT.FLOAT, [1e12, 4])], outputs: [valueInfo('y', DT.FLOAT)], nodes: [node('Relu', ['x'], ['y'])] });
    expect(problemsOf(huge).join('\n')).toMatch(/dimension 0 as 1000000000000/);
  });

  it('rejects unsupported types and external data, naming them', () => {
    const problems = problemsOf(
      modelBytes({
        inputs: [valueInfo('x', DT.COMPLEX64, [2])],
        outputs: [valueInfo('y', DT.FLOAT)],
        nodes: [node('Relu', ['x'], ['y'])],
      }),
    );
    expect(problems.join('\n')).toMatch(/input "x" has element type COMPLEX64/);
    const external = modelBytes({
      ...io,
      nodes: [node('Add', ['x', 'w'], ['y'])],
      initializers: [{ name: 'w', dataType: DT.FLOAT, dims: [4], dataLocation: 1, externalData: [{ key: 'location', value: 'w.bin' }] }],
    });
    expect(problemsOf(external).join('\n')).toMatch(/initializer "w" keeps its data in an external file/);
  });
});

describe('compileModel on damaged files', () => {
  const good = reluAddModel();

  it.each([
    ['empty', new Uint8Array()],
    ['truncated', good.subarray(0, Math.floor(good.byteLength / 2))],
    ['random bytes', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) & 0xff)],
    ['a PNG header', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
    ['an artifact instead of .onnx', compileModel(good).artifact],
    ['text', new TextEncoder().encode('{"not": "a model"}')],
  ])('%s: a clear ModelCompileError', (_label, bytes) => {
    const problems = problemsOf(bytes as Uint8Array);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(/ONNX|empty|graph|node|produce/);
  });

  it('corrupted bytes inside a valid model still fail cleanly or compile', () => {
    for (let i = 0; i < good.byteLength; i += 3) {
      const bad = good.slice();
      bad[i] ^= 0xff;
      try {
        compileModel(bad);
      } catch (e) {
        expect(e).toBeInstanceOf(ModelCompileError);
      }
    }
  });

  it('names the file when it cannot be read', () => {
    expect(() => compileModelFile('/nonexistent/model.onnx')).toThrow(/\/nonexistent\/model.onnx: [\s\S]*cannot read the model file/);
  });
});

describe('compiler passes', () => {
  it('folds Constant nodes and constant subgraphs into initializers and prunes unused nodes', () => {
    const bytes = modelBytes({
      inputs: [valueInfo('x', DT.FLOAT, [2, 3])],
      outputs: [valueInfo('y', DT.FLOAT)],
      initializers: [floatTensor('unused_w', [1], [9])],
      nodes: [
        node('Constant', [], ['c'], [{ name: 'value', type: AT.TENSOR, t: floatTensor('', [3], [1, 2, 3]) }]),
        node('Neg', ['c'], ['nc']),
        node('Add', ['x', 'nc'], ['y']),
        node('Relu', ['unused_w'], ['dead']),
      ],
    });
    const compiled = compileModel(bytes);
    expect(compiled.stats.ops).toEqual({ Add: 1 });
    expect(compiled.stats.foldedNodes).toBe(2);
    expect(compiled.stats.prunedNodes).toBe(1);
    expect(compiled.stats.initializers).toBe(1);
  });

  it('does not fold generators whose result would be much larger than their inputs', () => {
    const bytes = modelBytes({
      inputs: [valueInfo('x', DT.FLOAT, [1])],
      outputs: [valueInfo('y', DT.FLOAT)],
      initializers: [{ name: 'shape', dataType: DT.INT64, dims: [2], int64Data: [2000, 1000] }],
      nodes: [node('ConstantOfShape', ['shape'], ['big']), node('Add', ['x', 'big'], ['y'])],
    });
    const compiled = compileModel(bytes);
    expect(compiled.stats.ops).toEqual({ ConstantOfShape: 1, Add: 1 });
    expect(compiled.artifact.byteLength).toBeLessThan(10_000);
  });

  it('orders nodes topologically when the file lists them out of order', () => {
    const bytes = modelBytes({ ...io, nodes: [node('Relu', ['a'], ['y']), node('Neg', ['x'], ['a'])] });
    const compiled = compileModel(bytes);
    expect(compiled.signature).toEqual({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4] }], outputs: [{ name: 'y', datatype: 'FP32', shape: [1, 4] }] });
  });

  it('returns hashes, opsets and a signature with KServe datatypes', () => {
    const compiled = compileModel(
      modelBytes({
        inputs: [valueInfo('x', DT.FLOAT16, ['batch', 3])],
        outputs: [valueInfo('y', DT.FLOAT, ['batch', 3])],
        nodes: [node('Relu', ['x'], ['y'])],
      }),
    );
    expect(compiled.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(compiled.sourceSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(compiled.opsets).toEqual({ '': 17 });
    expect(compiled.signature.inputs).toEqual([{ name: 'x', datatype: 'FP16', shape: [-1, 3] }]);
    expect(importOnnx(reluAddModel()).graph.nodes).toHaveLength(2);
    void intAttr;
  });
});
