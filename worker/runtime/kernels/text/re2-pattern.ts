/**
 * RE2 patterns (the syntax onnxruntime's string ops use) run on JavaScript regular expressions.
 *
 * `translateRe2` rewrites the RE2 spellings JavaScript lacks or reads differently: a leading
 * inline flag group such as `(?i)` or `(?u)`, `\A` and `\z`, `\pL` and `\p{Greek}`, POSIX classes
 * like `[[:alpha:]]`, `\Q...\E` quoting, escaped punctuation (`\!`, which JavaScript's unicode
 * mode refuses), and `\s`, `\S` and `.`, whose character sets differ (`\S` inside a class keeps
 * JavaScript's meaning). Patterns are compiled with the `u` flag, so `.` and classes see code points as
 * RE2 sees UTF-8 characters.
 *
 * RE2 in onnxruntime's Tokenizer runs with longest_match: among matches starting at the leftmost
 * possible position it picks the longest, where JavaScript picks the first alternative that
 * succeeds. `findLongest` reproduces that: the leftmost start is the same under both rules, and
 * when a pattern could match more than one length at a position (alternation, optional or
 * repeated parts before its end), the longest end at that start is found by bisection.
 */

export interface Re2Pattern {
  /** JavaScript source equivalent to the RE2 pattern */
  readonly source: string;
  readonly flags: string;
  /** false when leftmost-first and leftmost-longest may pick different matches */
  readonly unambiguous: boolean;
}

export interface Match {
  /** UTF-16 offset of the match in the searched string */
  readonly index: number;
  readonly length: number;
}

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7f', blank: '\\t ', cntrl: '\\x00-\\x1f\\x7f', digit: '0-9',
  graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ', upper: 'A-Z',
  word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

/** RE2's \s: ASCII whitespace except \v. */
const RE2_SPACE = '\\t\\n\\f\\r ';

/** Characters JavaScript's unicode mode accepts after a backslash as themselves. */
const SYNTAX_CHARACTERS = new Set('^$\\.*+?()[]{}|/'.split(''));

/** Translates an RE2 pattern; throws an Error naming what is not supported. */
export function translateRe2(pattern: string): Re2Pattern {
  let flags = 'u';
  let rest = pattern;
  const inline = /^\(\?([a-zA-Z]+)\)/.exec(rest);
  if (inline) {
    for (const f of inline[1]) {
      if (f === 'i' || f === 's' || f === 'm') flags += f;
      else if (f !== 'u') throw new Error(`the inline flag (?${f}) is not supported; supported: i, s, m, u`);
    }
    rest = rest.slice(inline[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '\\') {
      const next = rest[i + 1];
      if (next === undefined) throw new Error('the pattern ends with a lone backslash');
      if (next === 'Q') {
        const end = rest.indexOf('\\E', i + 2);
        const literal = rest.slice(i + 2, end < 0 ? rest.length : end);
        out += [...literal].map(escapeLiteral).join('');
        i = end < 0 ? rest.length : end + 1;
        continue;
      }
      if (next === 'A' && !inClass) { out += '(?<![\\s\\S])'; i++; continue; }
      if (next === 'z' && !inClass) { out += '(?![\\s\\S])'; i++; continue; }
      if ((next === 'p' || next === 'P') && rest[i + 2] !== '{') {
        out += `\\${next}{${rest[i + 2] ?? ''}}`;
        i += 2;
        continue;
      }
      if ((next === 'p' || next === 'P') && rest[i + 2] === '{') {
        const close = rest.indexOf('}', i + 3);
        if (close < 0) throw new Error(`"\\${next}{" is not closed`);
        const name = rest.slice(i + 3, close);
        const property = name === 'Any' ? 'Any' : /^[A-Z][a-z]?$/.test(name) ? name : `Script=${name}`;
        out += `\\${next}{${property}}`;
        i = close;
        continue;
      }
      if (next === 'C') throw new Error('\\C (any byte) is not supported');
      // RE2's \s is ASCII whitespace without \v; JavaScript's also takes \v and Unicode spaces
      if (next === 's') { out += inClass ? RE2_SPACE : `[${RE2_SPACE}]`; i++; continue; }
      if (next === 'S' && !inClass) { out += `[^${RE2_SPACE}]`; i++; continue; }
      out += /[!-/:-@[-`{-~]/.test(next) && !SYNTAX_CHARACTERS.has(next) ? escapeLiteral(next) : `\\${next}`;
      i++;
      continue;
    }
    if (inClass && c === '[' && rest[i + 1] === ':') {
      const close = rest.indexOf(':]', i + 2);
      const negated = rest[i + 2] === '^';
      const name = rest.slice(i + (negated ? 3 : 2), close);
      const members = POSIX_CLASSES[name];
      if (close < 0 || members === undefined) throw new Error(`unknown POSIX class near "${rest.slice(i, i + 12)}"`);
      if (negated) throw new Error(`negated POSIX classes ([[:^${name}:]]) are not supported`);
      out += members;
      i = close + 1;
      continue;
    }
    if (c === '[' && !inClass) {
      inClass = true;
      out += c;
      // a ']' right after '[' or '[^' is a literal in RE2
      const start = rest[i + 1] === '^' ? 2 : 1;
      if (start === 2) { out += '^'; i++; }
      if (rest[i + 1] === ']') { out += '\\]'; i++; }
      continue;
    }
    if (c === ']' && inClass) inClass = false;
    // RE2's . stops only at \n (without the s flag); JavaScript's also at \r, U+2028 and U+2029
    if (c === '.' && !inClass && !flags.includes('s')) { out += '[^\\n]'; continue; }
    out += c;
  }
  try {
    new RegExp(out, flags);
  } catch (e) {
    throw new Error(`it is not a valid regular expression (${(e as Error).message})`);
  }
  return { source: out, flags, unambiguous: isUnambiguous(out) };
}

/** Finds leftmost-longest matches of one pattern; build one per run (RegExp objects carry state). */
export type LongestMatcher = (text: string, from: number) => Match | undefined;

export function longestMatcher(pattern: Re2Pattern): LongestMatcher {
  const search = new RegExp(pattern.source, `${pattern.flags}g`);
  return (text, from) => findLongest(pattern, search, text, from);
}

/** The leftmost-longest match of `pattern` in `text` starting at or after `from`, or undefined. */
function findLongest(pattern: Re2Pattern, search: RegExp, text: string, from: number): Match | undefined {
  if (from > text.length) return undefined;
  search.lastIndex = from;
  const m = search.exec(text);
  if (!m) return undefined;
  const first: Match = { index: m.index, length: m[0].length };
  if (pattern.unambiguous) return first;
  // Whether some match at the same start ends at or after code point n is monotone in n, so the
  // longest end is found by bisection; usually the first test already says there is none longer.
  let lo = codePoints(text, first.index + first.length);
  let hi = codePoints(text, text.length);
  let best = first;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const longer = endingAtLeast(pattern, text, first.index, mid);
    if (longer) {
      best = longer;
      lo = codePoints(text, longer.index + longer.length);
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

/** A match starting at `index` that ends at code point `n` of `text` or later. */
function endingAtLeast(pattern: Re2Pattern, text: string, index: number, n: number): Match | undefined {
  const re = new RegExp(`(?:${pattern.source})(?<=(?<![\\s\\S])[\\s\\S]{${n},})`, `${pattern.flags}y`);
  re.lastIndex = index;
  const m = re.exec(text);
  return m ? { index, length: m[0].length } : undefined;
}

/** Code points in text[0, end). */
function codePoints(text: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; n++) i += (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
  return n;
}

/**
 * True when a pattern has no alternation, no optional or lazy parts and at most one repetition at
 * its very end: then the first match JavaScript finds at a position is also the longest.
 */
function isUnambiguous(source: string): boolean {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') { i++; continue; }
    if (inClass) { if (c === ']') inClass = false; continue; }
    if (c === '[') { inClass = true; continue; }
    if (c === '|' || c === '?' || c === '*' || c === '{' || c === '(') return false;
    if (c === '+' && i !== source.length - 1) return false;
  }
  return true;
}

function escapeLiteral(ch: string): string {
  if (/[0-9A-Za-z_\s]/.test(ch) || ch.length > 1 || ch.charCodeAt(0) > 0x7e) return ch;
  return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
}
