/**
 * The binary tensor data extension over the Worker app (app.request in Node): inputs and outputs
 * of every datatype the test models have, mixed JSON and binary, exact NaN/Inf/-0 in binary
 * outputs, and every way the framing can lie (400) or grow past the body limit (413).
 */
import { harness, MULTI_REQUEST, type TestResponse } from './support/app-harness';
import { binaryRequest, concat, MULTI_BINARY_INPUTS, readAnswer, tensorBytes, valuesOf } from './support/binary-protocol';

const h = harness('multi', { limits: { maxBodyBytes: 4096, maxTensorElements: 1000 } });
const INFER = '/v2/models/multi/infer';
const send = (body: Uint8Array, headers: Record<string, string>): Promise<TestResponse> => h.request(INFER, { method: 'POST', body, headers });

describe('binary inputs', () => {
  it.each(['triton', 'kserve'] as const)('answers every datatype sent binary as the %s client sends it', async (client) => {
    const req = binaryRequest(MULTI_BINARY_INPUTS, { id: 'bin-1' }, client);
    const res = await send(req.body, req.headers);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({
      model_name: 'multi',
      model_version: 'v1',
      id: 'bin-1',
      outputs: [
        { name: 'y', datatype: 'FP32', shape: [2, 1], data: [14.5, 0.5] },
        { name: 'flags_out', datatype: 'BOOL', shape: [2], data: [true, false] },
        { name: 'names_out', datatype: 'BYTES', shape: [2], data: ['alpha', 'beta'] },
        { name: 'ids_out', datatype: 'INT64', shape: [1, 2], data: [7, -9007199254740991] },
      ],
    });
  });

  it('mixes JSON and binary inputs', async () => {
    const x = tensorBytes('FP32', [1, 2, 3, 0, 0, 0]);
    const header = new TextEncoder().encode(
      JSON.stringify({ inputs: [{ name: 'x', shape: [2, 3], datatype: 'FP32', parameters: { binary_data_size: x.length } }, ...MULTI_REQUEST.inputs.slice(1)] }),
    );
    const res = await send(concat([header, x]), { 'inference-header-content-length': String(header.length) });
    expect(res.status).toBe(200);
    expect((await res.json()).outputs[0].data).toEqual([14.5, 0.5]);
  });
});

describe('binary outputs', () => {
  it('answers the requested outputs as binary after the JSON header, the rest as JSON', async () => {
    const req = binaryRequest(MULTI_BINARY_INPUTS, { outputs: [{ name: 'y', parameters: { binary_data: true } }, { name: 'names_out', parameters: { binary_data: true } }, { name: 'flags_out' }] });
    const res = await send(req.body, req.headers);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    const { outputs } = await readAnswer(res);
    expect(outputs.map((o) => [o.name, o.parameters?.binary_data_size, o.data])).toEqual([
      ['y', 8, undefined],
      ['names_out', 17, undefined],
      ['flags_out', undefined, [true, false]],
    ]);
    expect(valuesOf('FP32', outputs[0].bytes!)).toEqual([14.5, 0.5]);
    expect(valuesOf('BYTES', outputs[1].bytes!)).toEqual(['alpha', 'beta']);
  });

  it('answers every output binary with binary_data_output, each datatype exact', async () => {
    const req = binaryRequest(MULTI_BINARY_INPUTS, { parameters: { binary_data_output: true } });
    const { outputs } = await readAnswer(await send(req.body, req.headers));
    expect(outputs.map((o) => valuesOf(o.datatype, o.bytes!))).toEqual([[14.5, 0.5], [true, false], ['alpha', 'beta'], [7n, -9007199254740991n]]);
  });

  it('carries NaN, infinities and -0 exactly in binary and writes null for them in JSON', async () => {
    const inputs = [{ ...MULTI_BINARY_INPUTS[0], shape: [4, 3], values: [NaN, 0, 0, Infinity, 0, 0, -Infinity, 0, 0, -0.5, 0, 0] }, ...MULTI_BINARY_INPUTS.slice(1)];
    const binary = binaryRequest(inputs, { outputs: [{ name: 'y', parameters: { binary_data: true } }] });
    const { outputs } = await readAnswer(await send(binary.body, binary.headers));
    const y = valuesOf('FP32', outputs[0].bytes!) as number[];
    expect(y.slice(0, 3)).toEqual([NaN, Infinity, -Infinity]);
    expect(Object.is(y[3], 0)).toBe(true); // -0.5 + 0.5
    const json = binaryRequest(inputs, { outputs: [{ name: 'y' }] });
    expect((await (await send(json.body, json.headers)).json()).outputs[0].data).toEqual([null, null, null, 0]);
  });
});

describe('binary framing that lies', () => {
  const good = binaryRequest(MULTI_BINARY_INPUTS);
  const withHeader = (length: string, body = good.body) => send(body, { 'inference-header-content-length': length });
  const header = (json: unknown) => new TextEncoder().encode(JSON.stringify(json));
  const xOnly = (size: number, datatype = 'FP32', shape = [2, 3]) =>
    header({ inputs: [{ name: 'x', shape, datatype, parameters: { binary_data_size: size } }, ...MULTI_REQUEST.inputs.slice(1)] });

  const cases: Array<[string, () => Promise<TestResponse>, number, RegExp]> = [
    ['a header length past the body', () => withHeader(String(good.body.length + 1)), 400, /Inference-Header-Content-Length is \d+ but the body has/],
    ['a header length of 0', () => withHeader('0'), 400, /at least 1 byte/],
    ['a header length that is not a number', () => withHeader('12abc'), 400, /non-negative integer/],
    ['a negative header length', () => withHeader('-5'), 400, /non-negative integer/],
    ['a header length shorter than the JSON', () => withHeader(String(good.jsonLength - 3)), 400, /malformed JSON in the header/],
    ['a header length longer than the JSON', () => withHeader(String(good.jsonLength + 3)), 400, /malformed JSON in the header|not valid UTF-8|runs past|add up to/],
    ['binary_data_size smaller than shape × datatype', () => { const x = tensorBytes('FP32', [1, 2, 3, 4, 5]); const h2 = xOnly(x.length); return withHeader(String(h2.length), concat([h2, x])); }, 400, /binary_data_size is 20 but shape \[2, 3\] of FP32 needs 24 bytes/],
    ['binary_data_size past the end of the body', () => { const h2 = xOnly(24); return withHeader(String(h2.length), concat([h2, new Uint8Array(10)])); }, 400, /runs past the end of the body/],
    ['bytes left over after the inputs', () => withHeader(String(good.jsonLength), concat([good.body, new Uint8Array(4)])), 400, /add up to/],
    ['binary_data_size without binary data', () => h.post(INFER, JSON.parse(new TextDecoder().decode(xOnly(24)))), 400, /Inference-Header-Content-Length/],
    ['binary_data_size and data together', () => { const h2 = header({ inputs: [{ ...MULTI_REQUEST.inputs[0], parameters: { binary_data_size: 24 } }, ...MULTI_REQUEST.inputs.slice(1)] }); return withHeader(String(h2.length), concat([h2, new Uint8Array(24)])); }, 400, /not both/],
    ['binary_data_size not an integer', () => { const h2 = xOnly(2.5); return withHeader(String(h2.length), concat([h2, new Uint8Array(24)])); }, 400, /non-negative integer/],
    ['a BYTES length past its tensor', () => {
      const names = new Uint8Array([255, 0, 0, 0, 97]);
      const h2 = header({ inputs: [MULTI_REQUEST.inputs[0], MULTI_REQUEST.inputs[1], { name: 'names', shape: [2], datatype: 'BYTES', parameters: { binary_data_size: names.length } }, MULTI_REQUEST.inputs[3]] });
      return withHeader(String(h2.length), concat([h2, names]));
    }, 400, /declares 255 bytes but only 1 remain/],
    ['too few BYTES elements', () => {
      const names = tensorBytes('BYTES', ['only-one']);
      const h2 = header({ inputs: [MULTI_REQUEST.inputs[0], MULTI_REQUEST.inputs[1], { name: 'names', shape: [2], datatype: 'BYTES', parameters: { binary_data_size: names.length } }, MULTI_REQUEST.inputs[3]] });
      return withHeader(String(h2.length), concat([h2, names]));
    }, 400, /ends before element 1 of 2/],
    ['a BOOL byte other than 0 or 1', () => {
      const flags = new Uint8Array([1, 7]);
      const h2 = header({ inputs: [MULTI_REQUEST.inputs[0], { name: 'flags', shape: [2], datatype: 'BOOL', parameters: { binary_data_size: 2 } }, ...MULTI_REQUEST.inputs.slice(2)] });
      return withHeader(String(h2.length), concat([h2, flags]));
    }, 400, /BOOL element 1 is the byte 7/],
    ['BYTES that are not UTF-8', () => {
      const names = concat([tensorBytes('BYTES', ['a']), new Uint8Array([2, 0, 0, 0, 0xc3, 0x28])]);
      const h2 = header({ inputs: [MULTI_REQUEST.inputs[0], MULTI_REQUEST.inputs[1], { name: 'names', shape: [2], datatype: 'BYTES', parameters: { binary_data_size: names.length } }, MULTI_REQUEST.inputs[3]] });
      return withHeader(String(h2.length), concat([h2, names]));
    }, 400, /not valid UTF-8/],
    ['binary_data_output not a boolean', () => { const r = binaryRequest(MULTI_BINARY_INPUTS, { parameters: { binary_data_output: 'yes' } }); return send(r.body, r.headers); }, 400, /binary_data_output must be true or false/],
    ['a binary body past the limit', () => { const r = binaryRequest([{ ...MULTI_BINARY_INPUTS[0], shape: [400, 3], values: new Array(1200).fill(1) }, ...MULTI_BINARY_INPUTS.slice(1)]); return send(r.body, r.headers); }, 413, /larger than the 4096 bytes/],
  ];

  it.each(cases)('%s', async (_label, request, status, message) => {
    const res = await request();
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error).toMatch(message);
  });
});
