/**
 * Requests and answers of the binary tensor data extension, built the way the Triton and KServe
 * Python clients build them (tritonclient.http InferInput.set_data_from_numpy(binary_data=True),
 * kserve InferRequest.to_rest with binary data): the JSON header, then each tensor's little-endian
 * bytes in input order; BYTES elements as a 4-byte little-endian length and the bytes; BOOL one
 * byte. No Content-Type for the Triton client; application/octet-stream for KServe's.
 */
import { concat as concatBytes } from '../../security/support/wire-bytes';

export type Element = number | bigint | boolean | string;

export interface BinaryInput {
  readonly name: string;
  readonly shape: number[];
  readonly datatype: string;
  readonly values: readonly Element[];
}

/** A tensor's bytes as the clients serialize a numpy array of it. */
export function tensorBytes(datatype: string, values: readonly Element[]): Uint8Array {
  switch (datatype) {
    case 'BYTES': {
      const parts = values.map((v) => new TextEncoder().encode(String(v)));
      const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0));
      const view = new DataView(out.buffer);
      let at = 0;
      for (const p of parts) {
        view.setUint32(at, p.length, true);
        out.set(p, at + 4);
        at += 4 + p.length;
      }
      return out;
    }
    case 'BOOL':
      return Uint8Array.from(values.map((v) => (v ? 1 : 0)));
    case 'FP32':
      return bytesOf(Float32Array.from(values as number[]));
    case 'FP64':
      return bytesOf(Float64Array.from(values as number[]));
    case 'INT64':
      return bytesOf(BigInt64Array.from(values.map((v) => BigInt(v as number))));
    case 'UINT64':
      return bytesOf(BigUint64Array.from(values.map((v) => BigInt(v as number))));
    case 'INT32':
      return bytesOf(Int32Array.from(values as number[]));
    case 'UINT8':
      return Uint8Array.from(values as number[]);
    default:
      throw new Error(`tensorBytes: add ${datatype}`);
  }
}

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export interface BinaryRequest {
  readonly body: Uint8Array;
  readonly headers: Record<string, string>;
  /** the JSON header's byte length */
  readonly jsonLength: number;
}

/**
 * The request body and headers: `json` is the rest of the request object (id, outputs,
 * parameters); every input is sent binary with parameters.binary_data_size.
 */
export function binaryRequest(
  inputs: readonly BinaryInput[],
  json: Record<string, unknown> = {},
  client: 'triton' | 'kserve' = 'triton',
): BinaryRequest {
  const parts = inputs.map((i) => tensorBytes(i.datatype, i.values));
  const header = new TextEncoder().encode(
    JSON.stringify({
      ...json,
      inputs: inputs.map((i, k) => ({ name: i.name, shape: i.shape, datatype: i.datatype, parameters: { binary_data_size: parts[k].length } })),
    }),
  );
  const body = concat([header, ...parts]);
  const headers: Record<string, string> = { 'Inference-Header-Content-Length': String(header.length) };
  if (client === 'kserve') headers['Content-Type'] = 'application/octet-stream';
  return { body, headers, jsonLength: header.length };
}

/** The parts one after another (a list, where the wire-format helper takes them as arguments). */
export const concat = (parts: readonly Uint8Array[]): Uint8Array => concatBytes(...parts);

export interface DecodedOutput {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: Record<string, unknown>;
  data?: unknown[];
  /** the binary data, when the output came as binary */
  bytes?: Uint8Array;
}

/**
 * An answer as the clients read it: with Inference-Header-Content-Length, the JSON header and each
 * binary output's bytes (in output order, binary_data_size each); otherwise plain JSON.
 */
export async function readAnswer(res: { headers: Headers; arrayBuffer(): Promise<ArrayBuffer> }): Promise<{ json: any; outputs: DecodedOutput[] }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const bytes = new Uint8Array(await res.arrayBuffer());
  const headerLength = res.headers.get('inference-header-content-length');
  const jsonLength = headerLength === null ? bytes.length : Number(headerLength);
  const json = JSON.parse(new TextDecoder().decode(bytes.subarray(0, jsonLength)));
  let at = jsonLength;
  const outputs: DecodedOutput[] = (json.outputs ?? []).map((o: DecodedOutput) => {
    const size = o.parameters?.binary_data_size;
    if (typeof size !== 'number') return o;
    const out = { ...o, bytes: bytes.slice(at, at + size) };
    at += size;
    return out;
  });
  if (at !== bytes.length) throw new Error(`answer has ${bytes.length - at} bytes beyond its outputs`);
  return { json, outputs };
}

/** Binary output bytes -> values (numpy's frombuffer, and the clients' BYTES deserializer). */
export function valuesOf(datatype: string, bytes: Uint8Array): Element[] {
  const buffer = bytes.slice().buffer;
  switch (datatype) {
    case 'FP32':
      return [...new Float32Array(buffer)];
    case 'FP64':
      return [...new Float64Array(buffer)];
    case 'INT64':
      return [...new BigInt64Array(buffer)];
    case 'BOOL':
      return [...new Uint8Array(buffer)].map((b) => b === 1);
    case 'BYTES': {
      const view = new DataView(buffer);
      const out: string[] = [];
      for (let at = 0; at < bytes.length; ) {
        const n = view.getUint32(at, true);
        out.push(new TextDecoder().decode(bytes.subarray(at + 4, at + 4 + n)));
        at += 4 + n;
      }
      return out;
    }
    default:
      throw new Error(`valuesOf: add ${datatype}`);
  }
}

/** The multi test model's request (MULTI_REQUEST) with every input binary. */
export const MULTI_BINARY_INPUTS: readonly BinaryInput[] = [
  { name: 'x', shape: [2, 3], datatype: 'FP32', values: [1, 2, 3, 0, 0, 0] },
  { name: 'flags', shape: [2], datatype: 'BOOL', values: [true, false] },
  { name: 'names', shape: [2], datatype: 'BYTES', values: ['alpha', 'beta'] },
  { name: 'ids', shape: [1, 2], datatype: 'INT64', values: [7, -9007199254740991] },
];
