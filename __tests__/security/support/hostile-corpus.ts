/**
 * A seeded corpus of malformed and adversarial HTTP requests for the `multi` test model
 * (inputs x FP32 [batch, 3], flags BOOL [n], names BYTES [n], ids INT64 [m, 2]).
 *
 * Every request here is invalid by construction: each generator breaks the valid request in a way
 * the protocol must refuse, so the only acceptable answers are the 4xx statuses listed in `expect`.
 * The corpus is drawn with fast-check from a fixed seed, so a failure reproduces with the same size.
 */
import fc from 'fast-check';
import { MULTI_REQUEST } from '../../worker/support/app-harness';
import { binaryRequest, concat, MULTI_BINARY_INPUTS, tensorBytes } from '../../worker/support/binary-protocol';

export interface HostileRequest {
  /** category and a short description, for failure messages */
  readonly label: string;
  readonly method: string;
  /** path and query, starting with "/" */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array | { readonly streamBytes: number };
  /** the statuses the Worker may answer */
  readonly expect: readonly number[];
  /** the runtime (workerd), not the Worker, gives the answer: plain text, status as expected */
  readonly runtimeAnswers?: boolean;
  /** send to the Worker that requires an API key */
  readonly locked?: boolean;
}

export const MODEL = 'multi';
export const INFER = `/v2/models/${MODEL}/infer`;
/** The body limit the hostile-test Worker is configured with. */
export const BODY_LIMIT = 64 * 1024;
export const MAX_TENSOR_ELEMENTS = 1000;

const JSON_HEADERS = { 'content-type': 'application/json' };
const BAD = [400];

type Json = unknown;
type Req = { id?: unknown; inputs: Array<Record<string, unknown>>; outputs?: unknown };

const clone = (): Req => JSON.parse(JSON.stringify(MULTI_REQUEST));

function post(label: string, body: string | Uint8Array, expect: readonly number[] = BAD, path = INFER): HostileRequest {
  return { label, method: 'POST', path, headers: { ...JSON_HEADERS }, body, expect };
}

/** Values that are never a valid element of the given datatype. */
const notFloat = fc.oneof(
  fc.constantFrom<Json>('NaN', 'Infinity', '-Infinity', '1.5', '', 'x', null, true, false, {}, [], { valueOf: 1 }, '1e999'),
  fc.string({ maxLength: 12 }),
);
const notBool = fc.oneof(fc.constantFrom<Json>(0, 1, 'true', 'false', null, {}, 'yes'), fc.double());
const notString = fc.oneof(fc.constantFrom<Json>(null, true, {}, 0), fc.integer(), fc.double());
const notInt64 = fc.oneof(
  fc.constantFrom<Json>(1.5, -0.25, 2 ** 60, -(2 ** 60), 9007199254740992, '7', null, true, 'NaN', {}),
  fc.double({ noInteger: true }).filter((d) => !Number.isInteger(d)),
);
const NOT_ELEMENT = [notFloat, notBool, notString, notInt64];

const badDimension = fc.oneof(
  fc.constantFrom<Json>(-1, -(2 ** 31), 1e12, 2 ** 53, 1.5, '2', null, true, [], {}, 1e999 as number, Number.NaN),
  fc.integer({ min: -1e9, max: -1 }),
  fc.double({ noInteger: true }),
);

/** One mutation of the valid V2 request that must be refused with 400. */
const v2Mutation: fc.Arbitrary<HostileRequest> = fc.oneof(
  // a wrong element in one input's data
  fc.tuple(fc.nat(3), fc.nat(5)).chain(([k, at]) =>
    NOT_ELEMENT[k].map((bad) => {
      const r = clone();
      const flat = (r.inputs[k].data as unknown[]).flat() as unknown[];
      flat[at % flat.length] = bad;
      r.inputs[k].data = flat;
      return post(`element: input ${k} gets ${JSON.stringify(bad)?.slice(0, 40)}`, JSON.stringify(r));
    }),
  ),
  // a broken shape dimension
  fc.tuple(fc.nat(3), fc.nat(1), badDimension).map(([k, d, bad]) => {
    const r = clone();
    const shape = r.inputs[k].shape as unknown[];
    shape[d % shape.length] = bad;
    return post(`shape: input ${k} dim ${d} = ${String(bad)}`, JSON.stringify(r));
  }),
  // shapes whose element count is huge, zero, or disagrees with the data
  fc.tuple(fc.nat(3), fc.array(fc.integer({ min: 0, max: 4096 }), { minLength: 1, maxLength: 20 })).map(([k, shape]) => {
    const r = clone();
    const original = JSON.stringify(r.inputs[k].shape);
    if (JSON.stringify(shape) === original) shape.push(2);
    r.inputs[k].shape = shape;
    return post(`shape mismatch: input ${k} shape [${shape.slice(0, 6).join(',')}${shape.length > 6 ? ',...' : ''}]`, JSON.stringify(r));
  }),
  fc.tuple(fc.nat(3), fc.constantFrom([1e6, 1e6], [2 ** 31, 2 ** 31, 2 ** 31], [2 ** 53 - 1, 3], [1001, 3], [3, 333, 3], new Array(17).fill(1), new Array(200000).fill(1))).map(
    ([k, shape]) => {
      const r = clone();
      r.inputs[k].shape = shape;
      const text = JSON.stringify(r);
      return post(`huge shape: input ${k} rank ${shape.length}`, text, text.length > BODY_LIMIT ? [413] : BAD);
    },
  ),
  // wrong datatype names
  fc.tuple(fc.nat(3), fc.oneof(fc.constantFrom<Json>('FP64', 'INT32', 'BYTES', 'BOOL', 'fp32', 'FLOAT', 'STRING', '', null, 7, ['FP32'], { toString: 'FP32' }), fc.string({ maxLength: 10 }))).map(
    ([k, datatype]) => {
      const r = clone();
      const own = r.inputs[k].datatype;
      r.inputs[k].datatype = datatype === own ? `${own}_` : datatype;
      return post(`datatype: input ${k} as ${JSON.stringify(datatype)}`, JSON.stringify(r));
    },
  ),
  // a missing field, input or the whole list
  fc.tuple(fc.nat(3), fc.constantFrom('name', 'shape', 'datatype', 'data')).map(([k, field]) => {
    const r = clone();
    delete r.inputs[k][field];
    return post(`missing field: input ${k} without ${field}`, JSON.stringify(r));
  }),
  fc.nat(3).map((k) => {
    const r = clone();
    r.inputs.splice(k, 1);
    return post(`missing input ${k}`, JSON.stringify(r));
  }),
  fc.nat(3).map((k) => {
    const r = clone();
    r.inputs.push({ ...r.inputs[k] });
    return post(`input ${k} given twice`, JSON.stringify(r));
  }),
  fc.oneof(fc.constantFrom<Json>([], {}, null, 'x', 1, [null], [[]], [1, 2]), fc.jsonValue({ maxDepth: 3 })).map((inputs) =>
    post(`inputs = ${JSON.stringify(inputs)?.slice(0, 40)}`, JSON.stringify({ inputs })),
  ),
  // the top level is not a request object
  fc.jsonValue({ maxDepth: 4 }).map((v) => post(`top level ${JSON.stringify(v)?.slice(0, 40)}`, JSON.stringify(v) ?? 'null')),
  // unknown input names, including inherited-property names
  fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', 'X', 'x ', ''), fc.string({ maxLength: 20 })).map((name) => {
    const r = clone();
    r.inputs[0].name = ['x', 'flags', 'names', 'ids'].includes(name) ? `${name}!` : name;
    return post(`input named ${JSON.stringify(name)}`, JSON.stringify(r));
  }),
  // "id" not a string (any string is echoed, however long: the body limit bounds it), "outputs" malformed or unknown
  fc.oneof(fc.constantFrom<Json>(1, null, {}, [], true, 2.5)).map((id) => {
    const r = clone();
    r.id = id;
    return post(`id = ${JSON.stringify(id).slice(0, 30)}`, JSON.stringify(r));
  }),
  fc.oneof(
    fc.constantFrom<Json>({}, 'y', [1], [{}], [{ name: 'nope' }], [{ name: 'y' }, { name: 'y' }], [{ name: '__proto__' }], [{ name: 7 }]),
  ).map((outputs) => {
    const r = clone();
    r.outputs = outputs;
    return post(`outputs = ${JSON.stringify(outputs)}`, JSON.stringify(r));
  }),
);

/** Raw-text attacks on the body: not JSON, truncated, non-finite literals, deep nesting, bad UTF-8. */
const rawBody: fc.Arbitrary<HostileRequest> = fc.oneof(
  fc.nat().map((cut) => {
    const text = JSON.stringify(MULTI_REQUEST);
    const at = cut % text.length;
    return post(`truncated at ${at}`, text.slice(0, at), at === 0 ? BAD : BAD);
  }),
  fc.constantFrom('1e999', '-1e999', 'NaN', 'Infinity', '-Infinity', '0x10', '+1', '.5', '01', '1e', '"1"').map((literal) =>
    post(`literal ${literal} as an element`, JSON.stringify(MULTI_REQUEST).replace('[1,2,3]', `[${literal},2,3]`)),
  ),
  fc.string({ maxLength: 200 }).filter((s) => s.trim() !== '').map((s) => post(`text ${JSON.stringify(s).slice(0, 30)}`, s)),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => post('binary text', s.length === 0 ? '\u0000' : s)),
  fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => post('random bytes', withInvalidUtf8(bytes))),
  fc.integer({ min: 1, max: 200_000 }).map((depth) => {
    const text = '['.repeat(depth) + ']'.repeat(depth);
    return post(`nested arrays depth ${depth}`, text, text.length > BODY_LIMIT ? [413] : BAD);
  }),
  fc.integer({ min: 1, max: 100_000 }).map((depth) => {
    const text = '['.repeat(depth);
    return post(`unclosed arrays depth ${depth}`, text, text.length > BODY_LIMIT ? [413] : BAD);
  }),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => {
    const text = '{"inputs":'.repeat(depth) + '[]' + '}'.repeat(depth);
    return post(`nested objects depth ${depth}`, text, text.length > BODY_LIMIT ? [413] : BAD);
  }),
  fc.tuple(fc.nat(3), fc.integer({ min: 2, max: 30_000 })).map(([k, depth]) => {
    // deep nesting inside "data", where the tensor reader walks it
    const inputs = JSON.stringify(MULTI_REQUEST.inputs.map((input, i) => (i === k ? { ...input, data: '@' } : input)));
    const text = `{"inputs":${inputs.replace('"@"', '['.repeat(depth) + '1' + ']'.repeat(depth))}}`;
    return post(`nested data depth ${depth} in input ${k}`, text, text.length > BODY_LIMIT ? [413] : BAD);
  }),
  // duplicate keys: JSON.parse keeps the last one, so the last one is the bad one
  fc.constantFrom('"inputs":[]', '"inputs":null', '"id":5', '"outputs":[{"name":"zz"}]').map((dup) =>
    post(`duplicate key ${dup}`, JSON.stringify(MULTI_REQUEST).replace(/}$/, `,${dup}}`)),
  ),
  // prototype-pollution shapes: a __proto__ member must not stand in for a real one
  fc.constantFrom(
    '{"__proto__":{"inputs":[{"name":"x","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}}',
    '{"constructor":{"prototype":{"inputs":[1]}},"inputs":[]}',
    `{"inputs":[{"__proto__":{"name":"x"},"shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}`,
    `{"inputs":[{"name":"x","__proto__":{"shape":[1,3]},"datatype":"FP32","data":[1,2,3]}]}`,
    `{"inputs":[{"name":"x","shape":{"__proto__":[1,3],"length":2},"datatype":"FP32","data":[1,2,3]}]}`,
    `{"inputs":[{"name":"x","shape":[1,3],"datatype":"FP32","data":{"__proto__":[1,2,3],"length":3}}]}`,
    '{"__proto__":null}',
  ).map((text) => post(`prototype keys ${text.slice(0, 40)}`, text)),
);

/** The V1 :predict endpoint with bodies that do not fit the model. */
const v1Body: fc.Arbitrary<HostileRequest> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => post(`v1 ${JSON.stringify(v)?.slice(0, 40)}`, JSON.stringify(v) ?? 'null', BAD, `/v1/models/${MODEL}:predict`)),
  fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom<Json>([], [1, 2, 3], [[1, 2, 3]], [{}], [{ x: [1, 2, 3] }], [{ __proto__: 1 }])).chain((instances) =>
    fc.constantFrom('instances', 'inputs').map((form) =>
      post(`v1 ${form} ${JSON.stringify(instances)?.slice(0, 30)}`, JSON.stringify({ [form]: instances }), BAD, `/v1/models/${MODEL}:predict`),
    ),
  ),
  fc.constantFrom(
    '{"instances":[{"x":[1,2,3],"flags":true,"names":"a","ids":[1,2]}],"inputs":{}}',
    '{"instances":[{"x":[1,2,3],"flags":true,"names":"a","ids":[1,2],"__proto__":{"x":1}}]}',
    '{"inputs":{"x":[[1,2,3]],"flags":[true],"names":["a"],"ids":[[1,2]],"constructor":1}}',
    '{"inputs":{"x":[[1,2,3]],"flags":[true],"names":["a"],"ids":[[1.5,2]]}}',
    '{"inputs":{"x":[[1,2,3]],"flags":[true],"names":["a"],"ids":[[1,2]],"__proto__":{"y":1}}}',
    '{"inputs":{"x":' + '['.repeat(17) + ']'.repeat(17) + ',"flags":[true],"names":["a"],"ids":[[1,2]]}}',
    '{"instances":[{"x":[1,2,3],"flags":true,"names":"a","ids":[1,2]},{"x":[1,2],"flags":true,"names":"a","ids":[1,2]}]}',
  ).map((text) => post(`v1 ${text.slice(0, 40)}`, text, BAD, `/v1/models/${MODEL}:predict`)),
);

/** Model names that are not "multi" even after percent-decoding. */
const hostileName = fc
  .oneof(
    fc.constantFrom(
      '%2e%2e', '..', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '..%2f..%2fetc', '%2fetc%2fpasswd', '%00', 'multi%00', '%ff%fe', '%', '%zz',
      'multi%2f..', 'MULTI', 'multi.', 'multi%20', '%20multi', 'multi%0d%0aSet-Cookie:x=1', '%E2%80%AEitlum', 'ｍｕｌｔｉ', '~', 'multi;x=1',
      '__proto__', 'constructor', encodeURIComponent('💥'.repeat(50)), 'a'.repeat(129), 'b'.repeat(20_000),
    ),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map(encodeURIComponent),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '?'))),
    fc.stringMatching(/^[A-Za-z0-9._-]{1,200}$/),
  )
  .filter((n) => safeDecode(n) !== MODEL && n !== MODEL);

function isDotSegment(s: string): boolean {
  return /^(\.|%2e){1,2}$/i.test(s);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const validBody = JSON.stringify(MULTI_REQUEST);

const paths: fc.Arbitrary<HostileRequest> = fc.oneof(
  fc.tuple(hostileName, fc.constantFrom('infer', 'ready', 'meta', 'version', 'v1')).map(([name, kind]) => {
    switch (kind) {
      case 'infer':
        // a dot segment resolves "/v2/models/./infer" to the metadata path, which only allows GET
        return post(`name ${name.slice(0, 40)} (infer)`, validBody, [404, 405], `/v2/models/${name}/infer`);
      case 'v1':
        return post(`name ${name.slice(0, 40)} (v1)`, '{"instances":[]}', [404], `/v1/models/${name}:predict`);
      case 'version': {
        // "." and ".." segments would be resolved away by URL parsing, reaching the model itself
        const version = isDotSegment(name) || name === 'v1' ? `${name}x` : name;
        return get(`name ${version.slice(0, 40)} as a version`, `/v2/models/${MODEL}/versions/${version}/ready`, [404]);
      }
      default:
        // "/v2/models/.." is normalized to "/v2/", the server metadata route: a 200 that reveals nothing.
        return get(`name ${name.slice(0, 40)} (${kind})`, `/v2/models/${name}${kind === 'ready' ? '/ready' : ''}`, name === '..' && kind !== 'ready' ? [200, 404] : [404]);
    }
  }),
  fc.constantFrom(
    '/v1/models/multi:PREDICT', '/v1/models/multi:predict:predict', '/v1/models/:predict', '/v1/models/multi:predictx', '/v1/models/multi:classify',
    '/v1/models/multi', '/v1/models/multi/versions/v1', '/v1/models/multi/versions/nope:predict', '/v1/models/multi%3Apredict%2F..',
    '/v1/models//:predict', '/v1/models/multi/../multi:predict/x', '/v2/models/multi/infer/', '/v2/models/multi/infer/x', '/v2/models//infer',
    '/v2/models/multi/versions/v2/infer', '/v2/models/multi/versions//infer', '/v2/models/multi/versions/..%2finfer', '/v2/model/multi/infer',
    '/v2/models/multi/infer%00', '/v3/models/multi/infer', '/.env', '/%2e%2e/%2e%2e/etc/passwd', '/v2/health/../../../etc/passwd', '/__model-edge/cache/0',
  ).map((p) => post(`path ${p}`, validBody, [404, 405], p)),
);

function get(label: string, path: string, expect: readonly number[], headers: Record<string, string> = {}): HostileRequest {
  return { label, method: 'GET', path, headers, expect };
}

const methods: fc.Arbitrary<HostileRequest> = fc
  .tuple(
    fc.constantFrom('PUT', 'DELETE', 'PATCH', 'PROPFIND', 'MKCOL', 'OPTIONS', 'GET'),
    fc.constantFrom(INFER, `/v1/models/${MODEL}:predict`, `/v2/models/${MODEL}`, `/v2/models/${MODEL}/ready`, '/v2/health/ready', '/v2'),
  )
  .filter(([m, p]) => !(m === 'GET' && !p.endsWith('/infer') && !p.endsWith(':predict')))
  .map(([method, path]) => ({
    label: `method ${method} ${path}`,
    method,
    path,
    headers: { ...JSON_HEADERS },
    ...(method === 'GET' ? {} : { body: validBody }),
    expect: [405],
  }));

/**
 * Methods workerd does not know at all: it answers 501 itself ("Unrecognized request method")
 * before any Worker code runs, as RFC 9110 prescribes; the Cloudflare edge refuses them likewise.
 */
const unknownMethods: fc.Arbitrary<HostileRequest> = fc.constantFrom('FOO', 'BREW', 'M-SEARCH2').map((method) => ({
  label: `unknown method ${method}`,
  method,
  path: INFER,
  headers: { ...JSON_HEADERS },
  body: validBody,
  expect: [501],
  runtimeAnswers: true,
}));

const contentTypes: fc.Arbitrary<HostileRequest> = fc
  .oneof(
    fc.constantFrom('', 'text/plain', 'text/json', 'application/jsonx', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
      'application/octet-stream', 'application/json-patch', 'json', 'application/', '*/*', 'application/xml', 'application/ json', 'APPLICATION/JAVASCRIPT'),
    fc.stringMatching(/^[a-z]{1,10}\/[a-z0-9.+-]{1,20}$/).filter((t) => t !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(t)),
  )
  .chain((type) =>
    fc.constantFrom(INFER, `/v1/models/${MODEL}:predict`).map((path): HostileRequest => ({
      label: `content type ${JSON.stringify(type)} ${path}`,
      method: 'POST',
      path,
      headers: type === '' ? {} : ({ 'content-type': type } as Record<string, string>),
      body: path === INFER ? validBody : '{"instances":[]}',
      expect: [415],
    })),
  );

const oversized: fc.Arbitrary<HostileRequest> = fc.oneof(
  fc.integer({ min: BODY_LIMIT + 1, max: 4 * BODY_LIMIT }).map((n) => post(`body of ${n} bytes`, validBody.replace('"req-1"', `"${'x'.repeat(n)}"`), [413])),
  fc.integer({ min: BODY_LIMIT + 1, max: 8 * BODY_LIMIT }).map((n) => ({
    label: `streamed body of ${n} bytes without a length`,
    method: 'POST',
    path: INFER,
    headers: { ...JSON_HEADERS },
    body: { streamBytes: n },
    expect: [413],
  })),
);

/** Headers: enormous or many, hostile request ids and keys (against the Worker that needs a key). */
const headers: fc.Arbitrary<HostileRequest> = fc.oneof(
  fc.integer({ min: 8, max: 64 }).map((kib) => ({
    ...post(`x-padding header of ${kib} KiB with a bad body`, '{"inputs":[]}'),
    headers: { ...JSON_HEADERS, 'x-padding': 'p'.repeat(kib * 1024) },
  })),
  fc.integer({ min: 100, max: 1000 }).map((n) => ({
    ...post(`${n} extra headers with a bad body`, '{"inputs":[]}'),
    headers: { ...JSON_HEADERS, ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`x-h-${i}`, `v${i}`])) },
  })),
  fc.constantFrom(96, 256, 1024).map((kib) => ({
    ...post(`header of ${kib} KiB with a bad body`, '{"inputs":[]}'),
    headers: { ...JSON_HEADERS, 'x-padding': 'p'.repeat(kib * 1024) },
  })),
  fc.oneof(fc.stringMatching(/^[\x20-\x7e]{0,600}$/), fc.constantFrom('', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', `Bearer ${'k'.repeat(100_000)}`, 'Bearer a b', 'bearer me_nope')).chain(
    (value) =>
      fc.constantFrom('authorization', 'x-api-key', 'none').map((header) => ({
        label: `key in ${header}: ${JSON.stringify(value.slice(0, 30))}`,
        method: 'POST',
        path: INFER,
        headers: { ...JSON_HEADERS, ...(header === 'none' ? {} : { [header]: value }) },
        body: validBody,
        expect: [401],
        locked: true,
      })),
  ),
);

/**
 * The binary tensor data extension with framing that lies: header lengths, binary_data_size,
 * truncated or padded tensor bytes, BYTES length prefixes, BOOL bytes, binary to V1, and binary
 * bodies past the limit.
 */
function binaryPost(label: string, body: Uint8Array, headerLength: string, expect: readonly number[] = BAD, path = INFER): HostileRequest {
  return { label: `binary: ${label}`, method: 'POST', path, headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': headerLength }, body, expect };
}

/** The valid binary request with input `k`'s binary_data_size replaced by `size`. */
function withBinarySize(k: number, size: unknown): { body: Uint8Array; headerLength: number } {
  const good = binaryRequest(MULTI_BINARY_INPUTS);
  const json = JSON.parse(new TextDecoder().decode(good.body.subarray(0, good.jsonLength)));
  json.inputs[k].parameters.binary_data_size = size;
  const header = new TextEncoder().encode(JSON.stringify(json));
  return { body: concat([header, good.body.subarray(good.jsonLength)]), headerLength: header.length };
}

const binaryBodies: fc.Arbitrary<HostileRequest> = (() => {
  const good = binaryRequest(MULTI_BINARY_INPUTS);
  const tensorsAt = good.jsonLength;
  return fc.oneof(
    fc.oneof(
      fc.constantFrom('0', '-1', 'abc', '1e3', '0x10', ' ', '99999999999999999999', String(good.body.length + 1), String(2 ** 53)),
      fc.integer({ min: 1, max: tensorsAt - 1 }).map(String),
      fc.integer({ min: tensorsAt + 1, max: good.body.length + 64 }).map(String),
    // A blank header is no header (the runtime drops it): then the octet-stream type is a 415.
    ).map((length) => binaryPost(`header length ${JSON.stringify(length)}`, good.body, length, length.trim() === '' ? [400, 415] : BAD)),
    fc.tuple(
      fc.integer({ min: 0, max: MULTI_BINARY_INPUTS.length - 1 }),
      fc.oneof(fc.integer({ min: -3, max: 3 }).filter((d) => d !== 0), fc.constantFrom<unknown>(-1e9, 1e9, 0.5, '8', null, true, [], {})),
    ).map(([k, delta]) => {
      const size = typeof delta === 'number' && Number.isInteger(delta) && Math.abs(delta) <= 3 ? binaryRequestSize(k) + delta : delta;
      const { body, headerLength } = withBinarySize(k, size);
      return binaryPost(`binary_data_size of input ${k} is ${JSON.stringify(size)}`, body, String(headerLength));
    }),
    fc.integer({ min: tensorsAt, max: good.body.length - 1 }).map((end) => binaryPost(`tensor bytes cut at ${end}`, good.body.slice(0, end), String(tensorsAt))),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((extra) => binaryPost(`${extra.length} bytes after the tensors`, concat([good.body, extra]), String(tensorsAt))),
    fc.integer({ min: 6, max: 0xffffffff }).map((n) => {
      const body = good.body.slice();
      // the first BYTES length prefix of "names" (after x: 24 bytes, flags: 2 bytes)
      new DataView(body.buffer).setUint32(tensorsAt + 26, n, true);
      return binaryPost(`BYTES length prefix ${n}`, body, String(tensorsAt));
    }),
    fc.integer({ min: 2, max: 255 }).map((b) => {
      const body = good.body.slice();
      body[tensorsAt + 24] = b;
      return binaryPost(`BOOL byte ${b}`, body, String(tensorsAt));
    }),
    fc.constant(binaryPost('binary body to V1', good.body, String(tensorsAt), BAD, `/v1/models/${MODEL}:predict`)),
    fc.uint8Array({ minLength: 1, maxLength: 256 }).chain((bytes) =>
      fc.integer({ min: 1, max: bytes.length }).map((n) => binaryPost(`${bytes.length} random bytes, header ${n}`, bytes, String(n))),
    ),
    fc.integer({ min: BODY_LIMIT + 1, max: 2 * BODY_LIMIT }).map((n) =>
      binaryPost(`binary body of ${n} bytes`, concat([good.body, new Uint8Array(n - good.body.length)]), String(tensorsAt), [413]),
    ),
  );
})();

/** The byte length of input k in the valid binary request. */
function binaryRequestSize(k: number): number {
  const input = MULTI_BINARY_INPUTS[k];
  return tensorBytes(input.datatype, input.values).length;
}

export const hostileRequest: fc.Arbitrary<HostileRequest> = fc.oneof(
  { weight: 30, arbitrary: v2Mutation },
  { weight: 20, arbitrary: rawBody },
  { weight: 10, arbitrary: v1Body },
  { weight: 15, arbitrary: paths },
  { weight: 5, arbitrary: methods },
  { weight: 1, arbitrary: unknownMethods },
  { weight: 5, arbitrary: contentTypes },
  { weight: 5, arbitrary: oversized },
  { weight: 5, arbitrary: headers },
  { weight: 10, arbitrary: binaryBodies },
);

/** `size` requests drawn from a fixed seed. */
export function hostileCorpus(size: number, seed = 20260426): HostileRequest[] {
  return fc.sample(hostileRequest, { seed, numRuns: size });
}

/** Bytes that are not UTF-8 (a lone continuation byte first). */
function withInvalidUtf8(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 1);
  out[0] = 0x80;
  out.set(bytes, 1);
  return out;
}
