/** @jest-environment ./__tests__/support/ort-environment.js */
import { attr, buildModel, input, node, output, tensor, type AttrSpec } from '../../support/onnx-builder';
import { expectSameAsOrt } from '../../support/compare';
import { runOrt } from '../../support/ort-oracle';
import { runOurs } from '../../support/run-ours';
import { compileModel } from '../../../lib/model-compiler';
import type { Tensor } from '../../../worker/runtime/tensor';

const MS = 'com.microsoft';

function tokenizerModel(attributes: Record<string, AttrSpec>, x: Tensor): Uint8Array {
  return buildModel({
    opsets: { '': 17, [MS]: 1 },
    inputs: [input('X', 'string', [...x.shape])],
    outputs: [output('Y', 'string', null)],
    nodes: [node('Tokenizer', ['X'], ['Y'], attributes, MS)],
  });
}

/** Runs the Tokenizer on both runtimes, expects the same tokens and shape; returns ours. */
async function sameAsOrt(attributes: Record<string, AttrSpec>, x: Tensor): Promise<{ shape: readonly number[]; tokens: unknown[] }> {
  const model = tokenizerModel(attributes, x);
  const ours = runOurs(model, { X: x }).Y;
  const theirs = await runOrt(model, { X: x });
  expectSameAsOrt('Y', ours, theirs.Y);
  return { shape: ours.shape, tokens: Array.from(ours.data as string[]) };
}

const base = (extra: Record<string, AttrSpec>, mark = 0, mincharnum = 1, pad = '#'): Record<string, AttrSpec> => ({
  mark: attr.int(mark), pad_value: attr.string(pad), mincharnum: attr.int(mincharnum), ...extra,
});

const sentences = tensor('string', [2, 2], ['the cat, sat; on the mat', 'Dogs?  run!', '', 'a-b c_d 42']);

describe('com.microsoft Tokenizer against onnxruntime', () => {
  it('tokenexp: the matches of a pattern, padded, with and without start/end marks', async () => {
    for (const mark of [0, 1]) {
      const r = await sameAsOrt(base({ tokenexp: attr.string('[a-zA-Z0-9_]+') }, mark), sentences);
      expect(r.shape).toEqual([2, 2, 6 + 2 * mark]);
    }
    const r = await sameAsOrt(base({ tokenexp: attr.string('[a-zA-Z0-9_]+') }, 1), sentences);
    expect(r.tokens.slice(0, 8)).toEqual(['\x02', 'the', 'cat', 'sat', 'on', 'the', 'mat', '\x03']);
  });

  it('tokenexp picks the longest match at the leftmost position (RE2 longest_match)', async () => {
    const x = tensor('string', [3], ['abcab', 'xaby', 'ab abc']);
    const r = await sameAsOrt(base({ tokenexp: attr.string('a|ab|abc') }), x);
    expect(r.tokens.slice(0, 2)).toEqual(['abc', 'ab']);
    await sameAsOrt(base({ tokenexp: attr.string('(a|ab)(c|bcd)?') }), tensor('string', [2], ['abcd', 'abc abd']));
    await sameAsOrt(base({ tokenexp: attr.string('\\b\\w\\w+\\b') }), sentences);
  });

  it('tokenexp skips matches shorter than mincharnum one character at a time', async () => {
    const x = tensor('string', [2], ['ab cdef g hij', 'xy']);
    for (const min of [1, 2, 3, 4]) await sameAsOrt(base({ tokenexp: attr.string('[a-z]+') }, 0, min), x);
  });

  it('separators split in turn, drop pieces shorter than mincharnum, and are RE2 patterns', async () => {
    const seps = [' ', '[.]', '\\?', ',', ';', '\\!', '-'];
    for (const min of [1, 2, 3]) await sameAsOrt(base({ separators: attr.strings(seps) }, 0, min), sentences);
    await sameAsOrt(base({ separators: attr.strings(['\\s+', 'a']) }, 1), sentences);
    await sameAsOrt(base({ separators: attr.strings(['at|a']) }), tensor('string', [2], ['cat sat at bat', 'aaata']));
  });

  it('empty separator matches drop the character they stand on, as onnxruntime does', async () => {
    await sameAsOrt(base({ separators: attr.strings(['x*']) }), tensor('string', [2], ['abxxc', 'xyz']));
  });

  it('character tokenization by separators [""] or tokenexp ".", code points included', async () => {
    const x = tensor('string', [2], ['héllo', 'a😀b']);
    for (const mark of [0, 1]) {
      const r = await sameAsOrt(base({ separators: attr.strings(['']) }, mark), x);
      expect(r.shape).toEqual([2, 5 + 2 * mark]);
      await sameAsOrt(base({ tokenexp: attr.string('.') }, mark), x);
    }
  });

  it('non-ASCII text, inline flags and Unicode classes', async () => {
    const x = tensor('string', [2], ['Café naïve façade', 'ÉCOLE école Straße']);
    await sameAsOrt(base({ tokenexp: attr.string('[^ ]+') }), x);
    await sameAsOrt(base({ tokenexp: attr.string('\\pL+') }), x);
    await sameAsOrt(base({ tokenexp: attr.string('(?i)[a-zé]+') }), x);
    await sameAsOrt(base({ tokenexp: attr.string('[[:upper:]][[:alpha:]]*') }), x);
    await sameAsOrt(base({ tokenexp: attr.string('\\A\\pL+|\\pL+\\z') }), x);
    await sameAsOrt(base({ separators: attr.strings(['\\Q. \\E', 'e\\z']) }), tensor('string', [2], ['a. b.c. d', 'see. me']));
  });

  it('\\s, \\S and . keep their RE2 character sets (no \\v or Unicode spaces; . stops only at \\n)', async () => {
    const x = tensor('string', [3], ['a\u00a0b c\rd', 'e\vf\tg', 'h\u2028i\nj']);
    await sameAsOrt(base({ tokenexp: attr.string('\\S+') }), x);
    await sameAsOrt(base({ separators: attr.strings(['\\s']) }), x);
    await sameAsOrt(base({ tokenexp: attr.string('[\\s\\d]+') }), x);
    await sameAsOrt(base({ tokenexp: attr.string('.+') }), x);
    await sameAsOrt(base({ tokenexp: attr.string('(?s).{2}') }), x);
  });

  it('rows without tokens give a last axis of 0; empty inputs keep their leading axis', async () => {
    expect((await sameAsOrt(base({ tokenexp: attr.string('[a-z]+') }, 1), tensor('string', [2], ['123', '!!']))).shape).toEqual([2, 0]);
    expect((await sameAsOrt(base({ separators: attr.strings([' ']) }), tensor('string', [1, 2], ['  ', ' ']))).shape).toEqual([1, 2, 0]);
    expect((await sameAsOrt(base({ tokenexp: attr.string('[a-z]+') }), tensor('string', [3, 0], []))).shape).toEqual([3, 0]);
  });
});

describe('com.microsoft Tokenizer attribute errors', () => {
  const compile = (attributes: Record<string, AttrSpec>) => () => compileModel(tokenizerModel(attributes, tensor('string', [1], ['a'])));

  it('names the attribute and the fix', () => {
    expect(compile(base({}))).toThrow(/either attribute "separators" or "tokenexp" is required/);
    expect(compile(base({ tokenexp: attr.string('.') }, 0, 2))).toThrow(/mincharnum 2 is too big for character tokenization/);
    expect(compile(base({ tokenexp: attr.string('[a-z') }))).toThrow(/tokenexp "\[a-z" cannot be used: it is not a valid regular expression/);
    expect(compile(base({ tokenexp: attr.string('(?U)a+') }))).toThrow(/inline flag \(\?U\) is not supported/);
    expect(compile(base({ tokenexp: attr.string('a') }, 0, 0))).toThrow(/"mincharnum" must be positive/);
    expect(compile({ pad_value: attr.string('#'), mincharnum: attr.int(1), tokenexp: attr.string('a') })).toThrow(/attribute "mark" is required/);
  });
});
