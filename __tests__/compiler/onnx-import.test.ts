import { onnx } from 'onnx-proto';
import { decodeTensorProto, importOnnx } from '../../lib/model-compiler/onnx-import';
import { ModelError } from '../../worker/runtime/errors';
import type { Graph } from '../../worker/runtime/graph';
import { Tensor, numberToFloat16Bits } from '../../worker/runtime/tensor';
import { AT, DT, floatTensor, modelBytes, node, tensorBytes, valueInfo } from './onnx-builder';

function le(Ctor: { new (v: number[] | bigint[]): ArrayBufferView }, values: number[] | bigint[]): Uint8Array {
  const a = new Ctor(values as never);
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

describe('decodeTensorProto', () => {
  it.each([
    ['float raw', { dataType: DT.FLOAT, dims: [2], rawData: le(Float32Array, [1.5, -2]) }, 'float32', [1.5, -2]],
    ['float typed', { dataType: DT.FLOAT, dims: [2], floatData: [1.5, -2] }, 'float32', [1.5, -2]],
    ['double', { dataType: DT.DOUBLE, dims: [1], doubleData: [0.1] }, 'float64', [0.1]],
    ['int8 typed', { dataType: DT.INT8, dims: [2], int32Data: [-128, 127] }, 'int8', [-128, 127]],
    ['uint8 raw', { dataType: DT.UINT8, dims: [2], rawData: new Uint8Array([0, 255]) }, 'uint8', [0, 255]],
    ['int16 typed', { dataType: DT.INT16, dims: [1], int32Data: [-300] }, 'int16', [-300]],
    ['uint16 typed', { dataType: DT.UINT16, dims: [1], int32Data: [65535] }, 'uint16', [65535]],
    ['int32 raw', { dataType: DT.INT32, dims: [2], rawData: le(Int32Array, [-7, 9]) }, 'int32', [-7, 9]],
    ['uint32 typed', { dataType: DT.UINT32, dims: [1], uint64Data: [4294967295] }, 'uint32', [4294967295]],
    ['bool typed', { dataType: DT.BOOL, dims: [3], int32Data: [1, 0, 1] }, 'bool', [1, 0, 1]],
    ['bool raw', { dataType: DT.BOOL, dims: [2], rawData: new Uint8Array([0, 1]) }, 'bool', [0, 1]],
  ])('%s', (_label, proto, dtype, values) => {
    const t = decodeTensorProto(tensorBytes(proto as onnx.ITensorProto));
    expect(t.dtype).toBe(dtype);
    expect(Array.from(t.data as ArrayLike<number>)).toEqual(values);
  });

  it('reads int64 from int64_data (beyond 2^53) and raw_data as BigInt64Array', () => {
    const big = 2n ** 62n + 1n;
    const typed = decodeTensorProto(tensorBytes({ dataType: DT.INT64, dims: [2], int64Data: [-5, big.toString() as never] }));
    expect(typed.data).toBeInstanceOf(BigInt64Array);
    expect(Array.from(typed.data as BigInt64Array)).toEqual([-5n, big]);
    const raw = decodeTensorProto(tensorBytes({ dataType: DT.INT64, dims: [2], rawData: le(BigInt64Array, [-1n, big]) }));
    expect(Array.from(raw.data as BigInt64Array)).toEqual([-1n, big]);
  });

  it('reads uint64 as BigUint64Array', () => {
    const t = decodeTensorProto(tensorBytes({ dataType: DT.UINT64, dims: [1], uint64Data: ['18446744073709551615' as never] }));
    expect(t.data).toBeInstanceOf(BigUint64Array);
    expect((t.data as BigUint64Array)[0]).toBe(2n ** 64n - 1n);
  });

  it('converts float16 (raw and int32_data bit patterns) and bfloat16 to float32', () => {
    const bits = [1, -2.5, 65504, 0.0001].map(numberToFloat16Bits);
    const raw = decodeTensorProto(tensorBytes({ dataType: DT.FLOAT16, dims: [4], rawData: le(Uint16Array, bits) }));
    const typed = decodeTensorProto(tensorBytes({ dataType: DT.FLOAT16, dims: [4], int32Data: bits }));
    expect(raw.dtype).toBe('float32');
    expect(Array.from(raw.data as Float32Array)).toEqual(Array.from(typed.data as Float32Array));
    expect((raw.data as Float32Array)[2]).toBe(65504);
    expect((raw.data as Float32Array)[1]).toBe(-2.5);
    // bfloat16 1.0 is 0x3f80, -2 is 0xc000
    const bf = decodeTensorProto(tensorBytes({ dataType: DT.BFLOAT16, dims: [2], int32Data: [0x3f80, 0xc000] }));
    expect(Array.from(bf.data as Float32Array)).toEqual([1, -2]);
  });

  it('decodes strings as UTF-8 and scalars with empty dims', () => {
    const s = decodeTensorProto(tensorBytes({ dataType: DT.STRING, dims: [2], stringData: [new TextEncoder().encode('héllo'), new Uint8Array()] }));
    expect(s.data).toEqual(['héllo', '']);
    const scalar = decodeTensorProto(tensorBytes({ dataType: DT.FLOAT, dims: [], floatData: [3] }));
    expect(scalar.shape).toEqual([]);
    expect(scalar.size).toBe(1);
  });

  it('rejects external data naming the tensor, and data that does not fill the shape', () => {
    const external = { name: 'w1', dataType: DT.FLOAT, dims: [2], dataLocation: onnx.TensorProto.DataLocation.EXTERNAL, externalData: [{ key: 'location', value: 'w.bin' }] };
    expect(() => decodeTensorProto(tensorBytes(external))).toThrow(/tensor "w1" keeps its data in an external file/);
    expect(() => decodeTensorProto(tensorBytes({ dataType: DT.FLOAT, dims: [3], floatData: [1] }))).toThrow(ModelError);
    expect(() => decodeTensorProto(tensorBytes({ dataType: DT.FLOAT, dims: [2], rawData: new Uint8Array(7) }))).toThrow(/raw_data holds 7 bytes/);
  });

  it('refuses a dims product beyond the limit without allocating', () => {
    expect(() => decodeTensorProto(tensorBytes({ dataType: DT.FLOAT, dims: [100000, 100000, 100000] }))).toThrow(/elements/);
  });
});

describe('importOnnx', () => {
  const sub = { name: 'then', node: [node('Identity', ['x'], ['t'])], output: [valueInfo('t', DT.FLOAT)] };
  const attrs: onnx.IAttributeProto[] = [
    { name: 'i', type: AT.INT, i: 7 },
    { name: 'f', type: AT.FLOAT, f: 0.5 },
    { name: 's', type: AT.STRING, s: new TextEncoder().encode('ünïcode') },
    { name: 'is', type: AT.INTS, ints: [1, -2] },
    { name: 'fs', type: AT.FLOATS, floats: [0.25, 2] },
    { name: 'ss', type: AT.STRINGS, strings: [new TextEncoder().encode('a'), new TextEncoder().encode('b')] },
    { name: 't', type: AT.TENSOR, t: floatTensor('', [1], [4]) },
    { name: 'ts', type: AT.TENSORS, tensors: [floatTensor('', [1], [5])] },
    { name: 'g', type: AT.GRAPH, g: sub },
    { name: 'gs', type: AT.GRAPHS, graphs: [sub, sub] },
  ];
  const bytes = modelBytes(
    {
      nodes: [node('Custom', ['x', '', 'w'], ['y'], attrs, { domain: 'ai.onnx', name: 'n1' })],
      inputs: [valueInfo('x', DT.FLOAT16, ['batch', 4]), valueInfo('w', DT.FLOAT, [1])],
      outputs: [valueInfo('y', DT.INT64, [null as never, 2])],
      initializers: [floatTensor('w', [1], [2])],
    },
    [['', 17], ['ai.onnx.ml', 3]],
    { metadataProps: [{ key: 'author', value: 'me' }] },
  );
  const model = importOnnx(bytes);

  it('maps every attribute kind to IR values', () => {
    const a = model.graph.nodes[0].attributes;
    expect(a.i).toBe(7);
    expect(a.f).toBe(0.5);
    expect(a.s).toBe('ünïcode');
    expect(a.is).toEqual([1, -2]);
    expect(a.fs).toEqual([0.25, 2]);
    expect(a.ss).toEqual(['a', 'b']);
    expect(a.t).toBeInstanceOf(Tensor);
    expect(Array.from((a.t as Tensor).data as Float32Array)).toEqual([4]);
    expect((a.ts as Tensor[])[0]).toBeInstanceOf(Tensor);
    expect((a.g as Graph).nodes[0].op).toBe('Identity');
    expect((a.gs as Graph[]).length).toBe(2);
  });

  it('normalizes domains, keeps omitted inputs as "", reads opsets and metadata', () => {
    const n = model.graph.nodes[0];
    expect(n.domain).toBe('');
    expect(n.inputs).toEqual(['x', '', 'w']);
    expect(model.opsets).toEqual({ '': 17, 'ai.onnx.ml': 3 });
    expect(model.metadata.properties).toEqual({ author: 'me' });
    expect(model.metadata.producer).toBe('test');
  });

  it('drops initializers from the inputs and reads value infos', () => {
    expect(model.graph.inputs.map((v) => v.name)).toEqual(['x']);
    expect(model.graph.initializers.has('w')).toBe(true);
    expect(model.graph.inputs[0]).toEqual({ name: 'x', dtype: 'float32', shape: ['batch', 4], declaredFloat16: true });
    expect(model.graph.outputs[0]).toEqual({ name: 'y', dtype: 'int64', shape: [null, 2] });
  });

  it('reads ZipMap outputs (sequence<map<K, float>>) as map-rows', () => {
    const m = importOnnx(
      modelBytes({
        nodes: [node('Identity', ['x'], ['probs'])],
        inputs: [valueInfo('x', DT.FLOAT, [1])],
        outputs: [{ name: 'probs', type: { sequenceType: { elemType: { mapType: { keyType: DT.INT64, valueType: { tensorType: { elemType: DT.FLOAT } } } } } } }],
      }),
    );
    expect(m.graph.outputs[0]).toMatchObject({ name: 'probs', dtype: 'float32', kind: 'map-rows' });
  });

  it('collects unsupported features instead of throwing when asked', () => {
    const bad = modelBytes({
      nodes: [node('Identity', ['x'], ['y'])],
      inputs: [valueInfo('x', DT.COMPLEX64, [1])],
      outputs: [{ name: 'y', type: { sequenceType: { elemType: { tensorType: { elemType: DT.FLOAT } } } } }],
      initializers: [{ name: 'c', dataType: DT.COMPLEX128, dims: [1] }],
    });
    const problems: string[] = [];
    importOnnx(bad, { problems });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/COMPLEX128/);
    expect(problems.join('\n')).toMatch(/input "x" has element type COMPLEX64/);
    expect(problems.join('\n')).toMatch(/output "y" has type sequence<tensor\(FLOAT\)>/);
    expect(() => importOnnx(bad)).toThrow(ModelError);
  });
});
