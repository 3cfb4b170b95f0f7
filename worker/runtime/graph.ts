/**
 * The graph as the runtime executes it: plain objects, names for values, tensors for constants.
 * The compiler builds this from ONNX, folds and plans it, and serializes it into the artifact;
 * the Worker deserializes the same structure with weights as views into the artifact's bytes.
 */
import type { DType, Tensor } from './tensor';

/** A dimension: a fixed size, a symbolic name (e.g. "batch"), or null when unknown. */
export type Dim = number | string | null;

export interface ValueInfo {
  readonly name: string;
  readonly dtype: DType;
  /** null when the rank is unknown */
  readonly shape: readonly Dim[] | null;
  /** set when the model declared float16: requests may send FP16, the runtime computes in float32 */
  readonly declaredFloat16?: boolean;
  /** 'map-rows' for ZipMap outputs (ONNX sequence<map<K, float>>): see MapRowsTensor */
  readonly kind?: 'tensor' | 'map-rows';
}

export type AttributeValue = number | string | number[] | string[] | Tensor | Tensor[] | Graph | Graph[];

export type Attributes = Readonly<Record<string, AttributeValue>>;

export interface Node {
  readonly op: string;
  /** '' for ai.onnx, 'ai.onnx.ml' for the classical-ML ops */
  readonly domain: string;
  readonly name: string;
  /** value names; '' marks an omitted optional input */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Attributes;
}

export interface Graph {
  readonly name: string;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly initializers: ReadonlyMap<string, Tensor>;
  /** in execution order */
  readonly nodes: readonly Node[];
}

/** Opset version per domain ('' is ai.onnx). */
export type Opsets = Readonly<Record<string, number>>;

export interface Model {
  readonly graph: Graph;
  readonly opsets: Opsets;
  readonly metadata: ModelMetadata;
}

export interface ModelMetadata {
  readonly producer?: string;
  readonly producerVersion?: string;
  readonly docString?: string;
  /** metadata_props of the ONNX model */
  readonly properties?: Readonly<Record<string, string>>;
}

export function isGraph(v: AttributeValue): v is Graph {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'nodes' in v;
}

export function nodeLabel(node: Pick<Node, 'op' | 'name' | 'domain'>): string {
  const op = node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${node.op}` : node.op;
  return node.name ? `${op} node "${node.name}"` : `${op} node`;
}
