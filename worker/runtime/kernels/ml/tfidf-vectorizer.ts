/**
 * ai.onnx TfIdfVectorizer (domain '', kept here with the scikit-learn text pipeline): counts the
 * pool's n-grams (pool_int64s or pool_strings, grouped by ngram_counts) in each row, with up to
 * max_skip_count items skipped between an n-gram's items, into ngram_indexes' output columns.
 * TF counts, IDF writes the weight (or 1) once found, TFIDF adds the weight per occurrence.
 *
 * Follows onnxruntime: the n-grams live in a trie; unigrams are counted once (not per skip
 * distance); weights are looked up by output column; a row whose pool type does not match the
 * input (strings against an int64 pool) gives zeros.
 */
import { kernel, kernelFail, required, type AttributeReader } from '../../kernel';

type Mode = 'TF' | 'IDF' | 'TFIDF';

/** A trie node: `id` > 0 when the path to it is a pool n-gram (1-based n-gram number). */
interface TrieNode {
  id: number;
  readonly next: Map<string | bigint, TrieNode>;
}

interface TfIdfAttrs {
  readonly mode: Mode;
  readonly minGram: number;
  readonly maxGram: number;
  readonly maxSkip: number;
  readonly root: TrieNode;
  readonly stringPool: boolean;
  /** output column of n-gram id - 1 */
  readonly columns: readonly number[];
  readonly weights: Float32Array | null;
  readonly width: number;
}

function readAttributes(attrs: AttributeReader): TfIdfAttrs {
  if (!attrs.has('mode')) attrs.fail('attribute "mode" is required (TF, IDF or TFIDF)');
  const mode = attrs.oneOf('mode', ['TF', 'IDF', 'TFIDF'] as const, 'TF');
  const minGram = attrs.int('min_gram_length');
  const maxGram = attrs.int('max_gram_length');
  const maxSkip = attrs.int('max_skip_count');
  if (minGram < 1) attrs.fail(`min_gram_length is ${minGram}; it must be at least 1`);
  if (maxGram < minGram) attrs.fail(`max_gram_length (${maxGram}) is below min_gram_length (${minGram})`);
  if (maxSkip < 0) attrs.fail(`max_skip_count is ${maxSkip}; it must be 0 or more`);
  const counts = attrs.ints('ngram_counts');
  if (counts.length === 0) attrs.fail('ngram_counts is empty');
  if (maxGram > counts.length) attrs.fail(`max_gram_length ${maxGram} exceeds the ${counts.length} n-gram sizes in ngram_counts`);
  const columns = attrs.ints('ngram_indexes');
  if (columns.length === 0) attrs.fail('ngram_indexes is empty');
  if (columns.some((c) => c < 0)) attrs.fail('ngram_indexes has a negative output column');
  const width = Math.max(...columns) + 1;
  const weightList = attrs.floats('weights', [] as number[]);
  const weights = attrs.has('weights') ? Float32Array.from(weightList) : null;
  if (weights && weights.length !== columns.length) attrs.fail(`weights has ${weights.length} values but ngram_indexes has ${columns.length}`);
  // onnxruntime indexes weights by output column
  if (weights && width > weights.length) attrs.fail(`ngram_indexes points at column ${width - 1} but there are only ${weights.length} weights`);
  const strings = attrs.strings('pool_strings', [] as string[]);
  const ints = attrs.ints('pool_int64s', [] as number[]);
  if (attrs.has('pool_strings') && strings.length === 0) attrs.fail('pool_strings is empty');
  if (!strings.length && !ints.length) attrs.fail('the pool is empty: set pool_strings or pool_int64s');
  const stringPool = strings.length > 0;
  const pool: (string | bigint)[] = stringPool ? strings : ints.map((v) => BigInt(v));
  const root: TrieNode = { id: 0, next: new Map() };
  let id = 1;
  for (let i = 0; i < counts.length; i++) {
    const size = i + 1;
    const start = counts[i];
    const end = i + 1 < counts.length ? counts[i + 1] : pool.length;
    if (start < 0 || end < start || end > pool.length) attrs.fail(`ngram_counts is out of bounds for ${size}-grams`);
    const items = end - start;
    if (items % size !== 0) attrs.fail(`the pool's ${size}-grams hold ${items} items, not a whole number of ${size}-grams`);
    const grams = items / size;
    if (size < minGram || size > maxGram) {
      id += grams;
      continue;
    }
    for (let g = 0; g < grams; g++, id++) {
      let node = root;
      for (let j = 0; j < size; j++) {
        const key = pool[start + g * size + j];
        let child = node.next.get(key);
        if (!child) node.next.set(key, (child = { id: 0, next: new Map() }));
        node = child;
      }
      if (node.id !== 0) attrs.fail(`the pool repeats a ${size}-gram (n-gram ${id})`);
      if (id > columns.length) attrs.fail(`n-gram ${id} of the pool has no output column: ngram_indexes has only ${columns.length}`);
      node.id = id;
    }
  }
  return { mode, minGram, maxGram, maxSkip, root, stringPool, columns, weights, width };
}

export const tfIdfVectorizerKernel = kernel<TfIdfAttrs>({
  op: 'TfIdfVectorizer',
  attributes: readAttributes,
  run(inputs, a, ctx) {
    const x = required(inputs, 0, ctx);
    if (x.dtype !== 'string' && x.dtype !== 'int32' && x.dtype !== 'int64') {
      kernelFail(ctx, `input has dtype ${x.dtype}; TfIdfVectorizer takes string, int32 or int64`);
    }
    if (x.rank > 2 || (x.rank === 2 && x.shape[0] < 1)) kernelFail(ctx, `input must be [C] or [B, C] with B > 0, got [${x.shape.join(', ')}]`);
    const batched = x.rank === 2;
    const rows = batched ? x.shape[0] : 1;
    const c = x.rank === 0 ? 1 : x.shape[x.rank - 1];
    const y = ctx.output(0, 'float32', batched ? [rows, a.width] : [a.width]);
    y.data.fill(0);
    if (x.size === 0 || (x.dtype === 'string') !== a.stringPool) return y;
    const keys: ArrayLike<string | bigint> = x.dtype === 'int32' ? Array.from(x.data as Int32Array, (v) => BigInt(v)) : (x.data as string[] | BigInt64Array);
    for (let r = 0; r < rows; r++) countRow(a, keys, r * c, c, y.data, r * a.width);
    return y;
  },
});

function countRow(a: TfIdfAttrs, keys: ArrayLike<string | bigint>, begin: number, c: number, out: Float32Array, o: number): void {
  const end = begin + c;
  let startSize = a.minGram;
  for (let skip = 1; skip <= a.maxSkip + 1; skip++) {
    for (let start = begin; start < end; start++) {
      if (start + skip * (startSize - 1) >= end) break;
      let node = a.root;
      for (let size = 1, at = start; node.next.size > 0 && size <= a.maxGram && at < end; size++, at += skip) {
        const hit = node.next.get(keys[at]);
        if (!hit) break;
        if (size >= startSize && hit.id !== 0) add(a, a.columns[hit.id - 1], out, o);
        node = hit;
      }
    }
    // unigrams do not depend on the skip distance: count them once
    if (startSize === 1 && ++startSize > a.maxGram) break;
  }
}

function add(a: TfIdfAttrs, column: number, out: Float32Array, o: number): void {
  const w = a.weights;
  switch (a.mode) {
    case 'TF':
      out[o + column] += 1;
      return;
    case 'IDF':
      out[o + column] = w ? w[column] : 1;
      return;
    case 'TFIDF':
      out[o + column] += w ? w[column] : 1;
      return;
  }
}
