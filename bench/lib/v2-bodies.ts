/**
 * KServe v2 inference request bodies for one FP32 input: as JSON, and with the binary tensor data
 * extension (JSON header, then the raw float32 bytes; binary answer asked for), as the KServe and
 * Triton clients send numpy arrays.
 */
export interface RequestBodyVariant {
  readonly label: string;
  readonly kind: 'json' | 'binary';
  readonly body: Buffer;
  readonly headers: Record<string, string>;
}

export function v2Bodies(name: string, shape: readonly number[], data: Float32Array): RequestBodyVariant[] {
  const json = Buffer.from(JSON.stringify({ inputs: [{ name, shape, datatype: 'FP32', data: Array.from(data) }] }));
  const header = Buffer.from(JSON.stringify({ inputs: [{ name, shape, datatype: 'FP32', parameters: { binary_data_size: data.byteLength } }], parameters: { binary_data_output: true } }));
  const binary = Buffer.concat([header, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
  return [
    { label: 'JSON in, JSON out', kind: 'json', body: json, headers: { 'content-type': 'application/json' } },
    { label: 'binary in, binary out', kind: 'binary', body: binary, headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(header.length) } },
  ];
}
