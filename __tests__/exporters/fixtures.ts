/**
 * Reads the exporter fixtures of __tests__/fixtures/exporters: each <family>/<name>.onnx comes
 * with <name>.json holding sample inputs and the exporting framework's own outputs (see the
 * README there and make_fixtures.py, which wrote them).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { Tensor, type DType } from '../../worker/runtime/tensor';

export const FIXTURE_ROOT = join(__dirname, '..', 'fixtures', 'exporters');

interface EncodedTensor {
  readonly dtype: DType;
  readonly shape: number[];
  /** little-endian bytes of numeric tensors */
  readonly base64?: string;
  /** string tensors */
  readonly values?: string[];
}

interface Manifest {
  readonly source: string;
  readonly tolerance: { readonly atol: number; readonly rtol: number };
  readonly inputs: Record<string, EncodedTensor>;
  readonly expected: Record<string, EncodedTensor>;
  readonly notes?: string;
}

export interface ExporterFixture {
  readonly family: string;
  readonly name: string;
  readonly source: string;
  readonly model: Uint8Array;
  readonly inputs: Record<string, Tensor>;
  readonly expected: Record<string, Tensor>;
  readonly tolerance: { readonly atol: number; readonly rtol: number };
}

/** Every fixture, by family folder then name. */
export function exporterFixtures(): ExporterFixture[] {
  const out: ExporterFixture[] = [];
  for (const family of readdirSync(FIXTURE_ROOT).sort()) {
    const dir = join(FIXTURE_ROOT, family);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.onnx')).sort()) {
      const name = file.slice(0, -'.onnx'.length);
      const manifest = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Manifest;
      out.push({
        family,
        name,
        source: manifest.source,
        model: readFileSync(join(dir, file)),
        inputs: decodeAll(manifest.inputs),
        expected: decodeAll(manifest.expected),
        tolerance: manifest.tolerance,
      });
    }
  }
  return out;
}

function decodeAll(tensors: Record<string, EncodedTensor>): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(tensors).map(([k, v]) => [k, decode(v)]));
}

function decode(t: EncodedTensor): Tensor {
  if (t.dtype === 'string') return Tensor.from('string', t.shape, t.values ?? []);
  const bytes = Buffer.from(t.base64 ?? '', 'base64');
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  const Array_ = { float32: Float32Array, float64: Float64Array, int32: Int32Array, int64: BigInt64Array, bool: Uint8Array } as const;
  const ctor = Array_[t.dtype as keyof typeof Array_];
  if (!ctor) throw new Error(`fixture tensor dtype ${t.dtype} is not handled`);
  return new Tensor(t.dtype, t.shape, new ctor(copy.buffer) as never);
}

/**
 * Compares one output with the framework's: labels (integers, strings, booleans) exactly,
 * floating-point values within atol + rtol * |expected|. Throws naming the first difference.
 */
export function expectMatchesFramework(where: string, ours: Tensor | undefined, expected: Tensor, tol: { atol: number; rtol: number }): void {
  if (!ours) throw new Error(`${where}: the model produced no such output`);
  if (ours.shape.join(',') !== expected.shape.join(',') && !(ours.size === expected.size && squeezed(ours.shape) === squeezed(expected.shape))) {
    throw new Error(`${where}: shape [${ours.shape.join(', ')}], the framework gives [${expected.shape.join(', ')}]`);
  }
  if (ours.size !== expected.size) throw new Error(`${where}: ${ours.size} values, the framework gives ${expected.size}`);
  const exact = expected.dtype !== 'float32' && expected.dtype !== 'float64';
  for (let i = 0; i < expected.size; i++) {
    const a = ours.data[i];
    const b = expected.data[i];
    if (exact) {
      if (String(a) !== String(b)) throw new Error(`${where}[${i}]: ours ${String(a)}, the framework ${String(b)}`);
      continue;
    }
    const x = Number(a);
    const y = Number(b);
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (!(Math.abs(x - y) <= tol.atol + tol.rtol * Math.abs(y))) {
      throw new Error(`${where}[${i}]: ours ${x}, the framework ${y} (atol ${tol.atol}, rtol ${tol.rtol})`);
    }
  }
}

/** A shape without its 1-sized axes, to accept [N] against [N, 1]. */
function squeezed(shape: readonly number[]): string {
  return shape.filter((d) => d !== 1).join(',');
}

/**
 * The model as onnxruntime-node can load it here: onnxruntime builds a C++ locale from
 * StringNormalizer's `locale` (en_US.UTF-8 when absent, as skl2onnx leaves it), which a machine without that
 * language pack refuses; C.UTF-8 exists on every glibc system and lower-cases ASCII the same.
 */
export function forOracle(model: Uint8Array): Uint8Array {
  const proto = onnx.ModelProto.decode(model);
  let changed = false;
  const visit = (g: onnx.IGraphProto | null | undefined): void => {
    for (const n of g?.node ?? []) {
      if (n.opType === 'StringNormalizer') {
        n.attribute = (n.attribute ?? []).filter((a) => a.name !== 'locale');
        n.attribute.push({ name: 'locale', type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode('C.UTF-8') });
        changed = true;
      }
      for (const a of n.attribute ?? []) {
        visit(a.g);
        (a.graphs ?? []).forEach(visit);
      }
    }
  };
  visit(proto.graph);
  return changed ? onnx.ModelProto.encode(proto).finish() : model;
}
