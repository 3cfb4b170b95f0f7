/** @jest-environment ./__tests__/support/ort-environment.js */
import { attr, input, node, output, tensor, type AttrSpec } from '../../support/onnx-builder';
import { AttributeReader } from '../../../worker/runtime/kernel';
import { stringNormalizerKernel, changeCase } from '../../../worker/runtime/kernels/ml/string-normalizer';
import { tfIdfVectorizerKernel } from '../../../worker/runtime/kernels/ml/tfidf-vectorizer';
import type { Tensor } from '../../../worker/runtime/tensor';
import { checkAgainstOrt, ML } from './ml-check';

function one(op: string, domain: string, attributes: Record<string, AttrSpec>, x: Tensor, outType: 'float32' | 'int64' | 'string') {
  return {
    opsets: { '': 17, [ML]: 1 },
    inputs: [input('X', x.dtype, x.shape.map((d) => d))],
    outputs: [output('Y', outType, null)],
    nodes: [node(op, ['X'], ['Y'], attributes, domain)],
  };
}

describe('CategoryMapper against onnxruntime', () => {
  const cats = { cats_strings: attr.strings(['cat', 'dog', 'eel', 'dog']), cats_int64s: attr.ints([1, 2, 3, 7]) };

  it('strings to int64 with the default for unknowns (last pair wins on repeats)', async () => {
    const x = tensor('string', [2, 3], ['dog', 'cat', 'yak', 'eel', '', 'dog']);
    await checkAgainstOrt(one('CategoryMapper', ML, cats, x, 'int64'), { X: x });
    await checkAgainstOrt(one('CategoryMapper', ML, { ...cats, default_int64: attr.int(-42) }, x, 'int64'), { X: x });
  });

  it('int64 to strings with the default for unknowns', async () => {
    const x = tensor('int64', [5], [3, 1, 9, 2, 7]);
    await checkAgainstOrt(one('CategoryMapper', ML, cats, x, 'string'), { X: x });
    await checkAgainstOrt(one('CategoryMapper', ML, { ...cats, default_string: attr.string('?') }, x, 'string'), { X: x });
  });
});

describe('FeatureVectorizer against onnxruntime', () => {
  it('concatenates columns, truncating and zero-padding to inputdimensions, for each input dtype', async () => {
    const columns = { A: [3, 2], B: [3, 3], C: [3, 1] } as const;
    for (const dtype of ['float32', 'float64', 'int32', 'int64'] as const) {
      const feeds = Object.fromEntries(Object.entries(columns).map(([name, shape], k) =>
        [name, tensor(dtype, shape, Array.from({ length: shape[0] * shape[1] }, (_, i) => (dtype.startsWith('float') ? i * 0.5 - k : i * 3 - k)))]));
      const spec = {
        opsets: { '': 17, [ML]: 1 },
        inputs: Object.entries(columns).map(([name, shape]) => input(name, dtype, ['N', shape[1]])),
        outputs: [output('Y', 'float32', null)],
        nodes: [node('FeatureVectorizer', ['A', 'B', 'C'], ['Y'], { inputdimensions: attr.ints([2, 2, 3]) }, ML)],
      };
      const ours = await checkAgainstOrt(spec, feeds);
      expect(ours.Y.shape).toEqual([3, 7]);
    }
  });
});

describe('TfIdfVectorizer against onnxruntime', () => {
  // pool: 4 unigrams, 3 bigrams, 1 trigram
  const intPool = { pool_int64s: attr.ints([2, 3, 5, 4, 5, 6, 7, 8, 6, 7, 2, 3, 5]), ngram_counts: attr.ints([0, 4, 10]), ngram_indexes: attr.ints([0, 1, 2, 3, 4, 5, 6, 7]) };
  const x = tensor('int64', [2, 12], [1, 1, 3, 3, 3, 7, 8, 6, 7, 5, 6, 8, 4, 5, 6, 2, 3, 5, 2, 3, 4, 5, 6, 7]);

  for (const mode of ['TF', 'IDF', 'TFIDF']) {
    for (const [minGram, maxGram, skip] of [[1, 1, 0], [1, 2, 0], [2, 2, 1], [1, 3, 2], [3, 3, 3]]) {
      it(`${mode}, ${minGram}..${maxGram}-grams, skip ${skip}, with and without weights`, async () => {
        const base = { ...intPool, mode: attr.string(mode), min_gram_length: attr.int(minGram), max_gram_length: attr.int(maxGram), max_skip_count: attr.int(skip) };
        await checkAgainstOrt(one('TfIdfVectorizer', '', base, x, 'float32'), { X: x });
        await checkAgainstOrt(one('TfIdfVectorizer', '', { ...base, weights: attr.floats([0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4]) }, x, 'float32'), { X: x });
      });
    }
  }

  it('int32 input, a 1-D row and output columns shared by several n-grams', async () => {
    const attrs = { ...intPool, ngram_indexes: attr.ints([3, 2, 1, 0, 1, 2, 3, 5]), mode: attr.string('TF'), min_gram_length: attr.int(1), max_gram_length: attr.int(3), max_skip_count: attr.int(1) };
    const row = tensor('int32', [12], [2, 3, 5, 4, 5, 6, 7, 8, 6, 7, 2, 3]);
    await checkAgainstOrt(one('TfIdfVectorizer', '', attrs, row, 'float32'), { X: row });
  });

  it('string pool, and strings against an int pool give zeros', async () => {
    const words = tensor('string', [2, 5], ['the', 'cat', 'sat', 'the', 'cat', 'a', 'dog', 'the', 'cat', 'ran']);
    const attrs = {
      pool_strings: attr.strings(['cat', 'dog', 'the', 'the', 'cat']), ngram_counts: attr.ints([0, 3]), ngram_indexes: attr.ints([0, 1, 2, 3]),
      mode: attr.string('TFIDF'), min_gram_length: attr.int(1), max_gram_length: attr.int(2), max_skip_count: attr.int(1), weights: attr.floats([1, 2, 0.5, 4]),
    };
    await checkAgainstOrt(one('TfIdfVectorizer', '', attrs, words, 'float32'), { X: words });
    const ints = { ...intPool, mode: attr.string('TF'), min_gram_length: attr.int(1), max_gram_length: attr.int(2), max_skip_count: attr.int(0) };
    await checkAgainstOrt(one('TfIdfVectorizer', '', ints, words, 'float32'), { X: words });
  });

  it('rejects pools that do not split into whole n-grams, and repeated n-grams', () => {
    const reader = (attributes: Record<string, unknown>) => new AttributeReader({ op: 'TfIdfVectorizer', domain: '', name: 't', inputs: ['X'], outputs: ['Y'], attributes: attributes as never });
    const base = { mode: 'TF', min_gram_length: 1, max_gram_length: 2, max_skip_count: 0, ngram_indexes: [0, 1, 2] };
    expect(() => tfIdfVectorizerKernel.attributes!(reader({ ...base, pool_int64s: [1, 2, 3], ngram_counts: [0, 2] }), 9)).toThrow(/2-grams hold 1 items/);
    expect(() => tfIdfVectorizerKernel.attributes!(reader({ ...base, max_gram_length: 1, pool_int64s: [1, 1], ngram_counts: [0] }), 9)).toThrow(/repeats a 1-gram/);
    expect(() => tfIdfVectorizerKernel.attributes!(reader({ ...base, mode: 'BM25', pool_int64s: [1], ngram_counts: [0] }), 9)).toThrow(/"mode" is "BM25"/);
  });
});

describe('StringNormalizer against onnxruntime', () => {
  // onnxruntime builds a C++ locale from this name; C.UTF-8 exists on every glibc system, en_US may not
  const LOCALE = attr.string('C.UTF-8');
  const words = tensor('string', [1, 6], ['Monday', 'the', 'THE', 'Straße', 'Été', 'tuesday']);
  const stop = attr.strings(['the', 'monday']);

  for (const action of ['LOWER', 'UPPER', 'NONE']) {
    for (const sensitive of [0, 1]) {
      it(`${action}, is_case_sensitive ${sensitive}, with and without stopwords`, async () => {
        const base: Record<string, AttrSpec> = { locale: LOCALE, case_change_action: attr.string(action), is_case_sensitive: attr.int(sensitive) };
        await checkAgainstOrt(one('StringNormalizer', '', base, words, 'string'), { X: words });
        await checkAgainstOrt(one('StringNormalizer', '', { ...base, stopwords: stop }, words, 'string'), { X: words });
      });
    }
  }

  it('1-D input, and every word a stopword gives one empty string', async () => {
    const x = tensor('string', [3], ['The', 'the', 'THE']);
    await checkAgainstOrt(one('StringNormalizer', '', { locale: LOCALE, case_change_action: attr.string('LOWER'), stopwords: attr.strings(['the']) }, x, 'string'), { X: x });
    await checkAgainstOrt(one('StringNormalizer', '', { locale: LOCALE, case_change_action: attr.string('UPPER'), stopwords: attr.strings(['x']) }, x, 'string'), { X: x });
  });

  it('changes case one code point at a time', () => {
    expect(changeCase('Straße', 'UPPER')).toBe('STRAßE');
    expect(changeCase('ÉTÉ', 'LOWER')).toBe('été');
  });

  it('rejects duplicate and empty stopwords', () => {
    const reader = (attributes: Record<string, unknown>) => new AttributeReader({ op: 'StringNormalizer', domain: '', name: 's', inputs: ['X'], outputs: ['Y'], attributes: attributes as never });
    expect(() => stringNormalizerKernel.attributes!(reader({ stopwords: ['a', 'A'] }), 10)).toThrow(/"A" is listed twice/);
    expect(() => stringNormalizerKernel.attributes!(reader({ stopwords: [''] }), 10)).toThrow(/empty string/);
  });
});
