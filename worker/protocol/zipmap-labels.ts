/**
 * ZipMap outputs (ONNX sequence<map<label, float>>) in the Open Inference Protocol: the schema's
 * tensor data holds no objects, so V2 answers them as an FP32 [N, C] tensor of the scores, with the
 * class labels, in column order, as the JSON text of an array in the output's
 * `parameters.class_labels` (parameter values must be strings, numbers or booleans) and in the
 * model metadata. V1 keeps one {label: score} object per row.
 */
import type { Graph } from '../runtime/graph';

export type ClassLabels = readonly (string | number)[];

const texts = new WeakMap<ClassLabels, string>();

/** `["a","b"]`: made once per label list (the ZipMap node's, shared by every answer). */
export function classLabelsText(labels: ClassLabels): string {
  let text = texts.get(labels);
  if (text === undefined) {
    text = JSON.stringify(labels);
    texts.set(labels, text);
  }
  return text;
}

/** The labels of each graph output produced by a ZipMap node, read from its attributes. */
export function zipMapLabels(graph: Pick<Graph, 'nodes' | 'outputs'>): ReadonlyMap<string, ClassLabels> {
  const labels = new Map<string, ClassLabels>();
  const outputs = new Set(graph.outputs.map((o) => o.name));
  for (const node of graph.nodes) {
    if (node.op !== 'ZipMap' || !outputs.has(node.outputs[0])) continue;
    const a = node.attributes;
    const keys = (a.classlabels_strings ?? a.classlabels_int64s) as ClassLabels | undefined;
    if (Array.isArray(keys)) labels.set(node.outputs[0], keys);
  }
  return labels;
}
