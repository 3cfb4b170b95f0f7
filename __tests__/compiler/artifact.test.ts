import { writeArtifact } from '../../lib/model-compiler/artifact-writer';
import { ARTIFACT_ALIGNMENT, readArtifact } from '../../worker/runtime/artifact';
import { ModelError } from '../../worker/runtime/errors';
import type { Graph, Model } from '../../worker/runtime/graph';
import { Tensor } from '../../worker/runtime/tensor';

function sampleModel(): Model {
  const branch: Graph = {
    name: 'then_branch',
    inputs: [],
    outputs: [{ name: 't', dtype: 'float32', shape: null }],
    initializers: new Map([['k', Tensor.from('float32', [2], [7, 8])]]),
    nodes: [{ op: 'Add', domain: '', name: 'inner', inputs: ['x', 'k'], outputs: ['t'], attributes: {} }],
  };
  return {
    opsets: { '': 17, 'ai.onnx.ml': 3 },
    metadata: { producer: 'test', properties: { a: 'b' } },
    graph: {
      name: 'main',
      inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 2], declaredFloat16: true }],
      outputs: [{ name: 'y', dtype: 'float32', shape: null, kind: 'map-rows' }],
      initializers: new Map<string, Tensor>([
        ['u8', Tensor.from('uint8', [3], [1, 2, 3])],
        ['f64', Tensor.from('float64', [2], [Math.PI, -0])],
        ['i64', Tensor.from('int64', [2], [2n ** 60n, -3n])],
        ['flags', Tensor.from('bool', [2], [1, 0])],
        ['names', Tensor.from('string', [2], ['α', ''])],
        ['f32', Tensor.from('float32', [2, 2], [NaN, Infinity, -Infinity, 1.5])],
      ]),
      nodes: [
        {
          op: 'If',
          domain: '',
          name: 'branch',
          inputs: ['cond'],
          outputs: ['y'],
          attributes: {
            then_branch: branch,
            else_branch: branch,
            alpha: NaN,
            beta: -Infinity,
            zero: -0,
            list: [1, Infinity, NaN],
            names: ['a', 'b'],
            empty: [],
            value: Tensor.from('int32', [1], [42]),
            values: [Tensor.from('float32', [1], [1]), Tensor.from('string', [1], ['s'])],
            mode: 'linear',
          },
        },
      ],
    },
  };
}

describe('artifact', () => {
  const model = sampleModel();
  const bytes = writeArtifact(model);

  it('round-trips graph structure, tensors and attributes', () => {
    const back = readArtifact(bytes);
    expect(back.opsets).toEqual(model.opsets);
    expect(back.metadata).toEqual(model.metadata);
    expect(back.graph.inputs).toEqual(model.graph.inputs);
    expect(back.graph.outputs).toEqual(model.graph.outputs);
    for (const [name, t] of model.graph.initializers) {
      const r = back.graph.initializers.get(name)!;
      expect(r.dtype).toBe(t.dtype);
      expect(r.shape).toEqual(t.shape);
      expect(Array.from(r.data as ArrayLike<unknown>)).toEqual(Array.from(t.data as ArrayLike<unknown>));
    }
    const a = back.graph.nodes[0].attributes;
    expect(a.alpha).toBeNaN();
    expect(a.beta).toBe(-Infinity);
    expect(Object.is(a.zero, -0)).toBe(true);
    expect(a.list).toEqual([1, Infinity, NaN]);
    expect(a.names).toEqual(['a', 'b']);
    expect(a.empty).toEqual([]);
    expect(a.mode).toBe('linear');
    expect(Array.from((a.value as Tensor).data as Int32Array)).toEqual([42]);
    expect((a.values as Tensor[])[1].data).toEqual(['s']);
    const sub = a.then_branch as Graph;
    expect(sub.nodes[0].inputs).toEqual(['x', 'k']);
    expect(Array.from(sub.initializers.get('k')!.data as Float32Array)).toEqual([7, 8]);
  });

  it('places every numeric tensor at a 64-byte aligned view into the same bytes (no copy)', () => {
    const back = readArtifact(bytes);
    for (const t of back.graph.initializers.values()) {
      if (t.dtype === 'string') continue;
      const data = t.data as Uint8Array;
      expect(data.buffer).toBe(bytes.buffer);
      expect((data.byteOffset - bytes.byteOffset) % ARTIFACT_ALIGNMENT).toBe(0);
    }
  });

  it('copies once when the bytes sit at a misaligned offset, and still reads correctly', () => {
    const holder = new Uint8Array(bytes.byteLength + 3);
    holder.set(bytes, 3);
    const back = readArtifact(holder.subarray(3));
    const i64 = back.graph.initializers.get('i64')!;
    expect(Array.from(i64.data as BigInt64Array)).toEqual([2n ** 60n, -3n]);
    expect((i64.data as BigInt64Array).buffer).not.toBe(holder.buffer);
  });

  it('accepts an ArrayBuffer as the Worker data module provides', () => {
    const copy = bytes.slice().buffer;
    expect(readArtifact(copy).graph.initializers.get('u8')!.data).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('rejects wrong magic, other versions and truncated files with clear errors', () => {
    expect(() => readArtifact(new TextEncoder().encode('\x08\x07\x12\x04test not an artifact'))).toThrow(/wrong magic/);
    const otherVersion = bytes.slice();
    new DataView(otherVersion.buffer).setUint32(8, 99, true);
    expect(() => readArtifact(otherVersion)).toThrow(/format version 99/);
    expect(() => readArtifact(bytes.subarray(0, 40))).toThrow(ModelError);
    expect(() => readArtifact(bytes.subarray(0, bytes.byteLength - 8))).toThrow(/outside the weights blob/);
    expect(() => readArtifact(bytes.subarray(0, 10))).toThrow(/too short/);
  });
});

describe('long number lists', () => {
  const roundTrip = (values: number[]) => {
    const model: Model = {
      opsets: { '': 17 },
      metadata: {},
      graph: {
        name: 'g',
        inputs: [],
        outputs: [],
        initializers: new Map(),
        nodes: [{ op: 'Op', domain: '', name: 'n', inputs: [], outputs: [], attributes: { list: values } }],
      },
    };
    const bytes = writeArtifact(model);
    return { bytes, values: readArtifact(bytes).graph.nodes[0].attributes.list as number[] };
  };

  it('keeps float lists exact through the blob (float32 values, doubles, NaN, infinities, -0)', () => {
    const floats = Array.from({ length: 40 }, (_, i) => Math.fround(i / 7));
    const special = [...floats, NaN, Infinity, -Infinity, -0];
    expect(Object.is(roundTrip(special).values[43], -0)).toBe(true);
    expect(roundTrip(special).values).toEqual(special);
    const doubles = Array.from({ length: 40 }, (_, i) => i / 7);
    expect(roundTrip(doubles).values).toEqual(doubles);
  });

  it('stores float lists more compactly than JSON text', () => {
    const floats = Array.from({ length: 1000 }, (_, i) => Math.fround(Math.sin(i)));
    const ints = Array.from({ length: 1000 }, (_, i) => i);
    expect(roundTrip(floats).bytes.byteLength).toBeLessThan(4 * 1000 + 1024);
    expect(roundTrip(ints).values).toEqual(ints);
  });
});
