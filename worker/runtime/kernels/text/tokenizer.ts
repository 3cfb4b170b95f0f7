/**
 * com.microsoft Tokenizer (onnxruntime's contrib op, what skl2onnx emits for CountVectorizer and
 * TfidfVectorizer): splits every string of X ([C] or [N, C]) into tokens and returns
 * X.shape + [most tokens], shorter rows padded with `pad_value`.
 *
 * Three modes, as onnxruntime implements them:
 * - characters: `separators` is [""] or `tokenexp` is "."; every character is a token.
 * - `separators`: RE2 patterns applied one after another; each splits every token left by the
 *   previous one, and pieces shorter than `mincharnum` characters are dropped. An empty separator
 *   match drops the character it stands on.
 * - `tokenexp`: the tokens are the successive matches of one RE2 pattern; a match shorter than
 *   `mincharnum` is skipped one character at a time.
 * Matching is leftmost-longest (RE2's longest_match). With `mark`, each row starts with "\x02"
 * and its tokens end with "\x03", before the padding. When no row has a token the last axis is 0.
 */
import { kernel, kernelFail } from '../../kernel';
import { MICROSOFT_DOMAIN } from '../common/microsoft-domain';
import type { Tensor } from '../../tensor';
import { longestMatcher, translateRe2, type LongestMatcher, type Re2Pattern } from './re2-pattern';

const START_TEXT = '\x02';
const END_TEXT = '\x03';

type TokenizerMode =
  | { readonly kind: 'characters' }
  | { readonly kind: 'separators'; readonly separators: readonly Re2Pattern[] }
  | { readonly kind: 'expression'; readonly expression: Re2Pattern };

export interface TokenizerAttributes {
  readonly mark: boolean;
  readonly padValue: string;
  readonly mincharnum: number;
  readonly mode: TokenizerMode;
}

export const tokenizerKernel = kernel<TokenizerAttributes>({
  op: 'Tokenizer',
  domain: MICROSOFT_DOMAIN,
  attributes(a) {
    const mark = a.int('mark') !== 0;
    const padValue = a.string('pad_value');
    const mincharnum = a.int('mincharnum');
    if (mincharnum < 1) a.fail(`attribute "mincharnum" must be positive, got ${mincharnum}`);
    const compile = (pattern: string, what: string): Re2Pattern => {
      try {
        return translateRe2(pattern);
      } catch (e) {
        return a.fail(`${what} "${pattern}" cannot be used: ${(e as Error).message}`);
      }
    };
    let mode: TokenizerMode;
    if (a.has('separators')) {
      const separators = a.strings('separators');
      if (separators.length === 0) a.fail('attribute "separators" must not be empty; give [""] to split into characters');
      mode = separators.length === 1 && separators[0] === ''
        ? { kind: 'characters' }
        : { kind: 'separators', separators: separators.map((s, i) => compile(s, `separators[${i}]`)) };
    } else if (a.has('tokenexp')) {
      const tokenexp = a.string('tokenexp');
      if (tokenexp === '') a.fail('attribute "tokenexp" must not be empty');
      mode = tokenexp === '.' ? { kind: 'characters' } : { kind: 'expression', expression: compile(tokenexp, 'tokenexp') };
    } else {
      return a.fail('either attribute "separators" or "tokenexp" is required');
    }
    if (mode.kind === 'characters' && mincharnum > 1) a.fail(`mincharnum ${mincharnum} is too big for character tokenization (at most 1)`);
    return { mark, padValue, mincharnum, mode };
  },
  run(inputs, attrs, ctx) {
    const x = inputs[0];
    if (!x) kernelFail(ctx, 'input X (#0) is required');
    if (x.dtype !== 'string') kernelFail(ctx, `input X must be a string tensor, got ${x.dtype}`);
    if (x.rank !== 1 && x.rank !== 2) kernelFail(ctx, `input X must be [C] or [N, C], got rank ${x.rank}`);
    if (x.size === 0) {
      return ctx.output(0, 'string', x.rank === 2 ? [x.shape[0], 0] : [0]);
    }
    const split = tokenizerFor(attrs);
    const rows = (x.data as string[]).map(split);
    const most = rows.reduce((m, r) => Math.max(m, r.length), 0);
    if (most === 0) return ctx.output(0, 'string', [...x.shape, 0]);
    const width = most + (attrs.mark ? 2 : 0);
    const y = ctx.output(0, 'string', [...x.shape, width]) as Tensor<'string'>;
    rows.forEach((tokens, r) => {
      const row = attrs.mark ? [START_TEXT, ...tokens, END_TEXT] : tokens;
      for (let j = 0; j < width; j++) y.data[r * width + j] = j < row.length ? row[j] : attrs.padValue;
    });
    return y;
  },
});

/** A function from one string to its tokens, for one run. */
export function tokenizerFor(attrs: TokenizerAttributes): (s: string) => string[] {
  const { mode, mincharnum } = attrs;
  if (mode.kind === 'characters') return (s) => [...s];
  if (mode.kind === 'expression') {
    const find = longestMatcher(mode.expression);
    return (s) => matchTokens(s, find, mincharnum);
  }
  const separators = mode.separators.map(longestMatcher);
  return (s) => {
    let pieces = [s];
    for (const find of separators) pieces = pieces.flatMap((piece) => splitOn(piece, find, mincharnum));
    return pieces;
  };
}

function matchTokens(s: string, find: LongestMatcher, mincharnum: number): string[] {
  const tokens: string[] = [];
  for (let start = 0; ;) {
    const m = find(s, start);
    if (!m) return tokens;
    const token = s.slice(m.index, m.index + m.length);
    if (charCount(token) >= mincharnum) {
      tokens.push(token);
      start = m.index + m.length;
    } else {
      start = m.index + charWidth(s, m.index);
    }
  }
}

function splitOn(text: string, find: LongestMatcher, mincharnum: number): string[] {
  const pieces: string[] = [];
  const keep = (piece: string): void => {
    if (charCount(piece) >= mincharnum) pieces.push(piece);
  };
  for (let start = 0; ;) {
    const m = find(text, start);
    if (!m) {
      if (start <= text.length) keep(text.slice(start));
      return pieces;
    }
    keep(text.slice(start, m.index));
    start = m.index + (m.length > 0 ? m.length : charWidth(text, m.index));
  }
}

/** Characters (code points) in a string. */
function charCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; n++) i += charWidth(s, i);
  return n;
}

/** UTF-16 units of the character at `i` (1 past the end, as onnxruntime steps one byte there). */
function charWidth(s: string, i: number): number {
  return (s.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
}
