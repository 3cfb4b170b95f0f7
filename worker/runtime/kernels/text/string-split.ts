/**
 * StringSplit (opset 20): splits every string of X like Python's str.split. With a delimiter,
 * consecutive delimiters yield empty strings; without one (absent or ""), runs of whitespace
 * separate and leading/trailing whitespace is dropped. At most `maxsplit` splits are made.
 * Outputs Y = X.shape + [most substrings], padded with "", and Z = the count per string (int64).
 */
import { kernel, kernelFail } from '../../kernel';
import type { Tensor } from '../../tensor';

export interface StringSplitAttributes {
  /** null: split on whitespace runs */
  readonly delimiter: string | null;
  /** null: no limit */
  readonly maxsplit: number | null;
}

export const stringSplitKernel = kernel<StringSplitAttributes>({
  op: 'StringSplit',
  attributes(attrs) {
    const delimiter = attrs.string('delimiter', '');
    const maxsplit = attrs.int('maxsplit', null);
    return { delimiter: delimiter === '' ? null : delimiter, maxsplit: maxsplit === null || maxsplit < 0 ? null : maxsplit };
  },
  run(inputs, attrs, ctx) {
    const x = inputs[0];
    if (!x) kernelFail(ctx, 'input X (#0) is required');
    if (x.dtype !== 'string') kernelFail(ctx, `input X must be a string tensor, got ${x.dtype}`);
    const strings = x.data as string[];
    const parts = strings.map((s) =>
      attrs.delimiter === null ? splitWhitespace(s, attrs.maxsplit) : splitOn(s, attrs.delimiter, attrs.maxsplit),
    );
    const width = parts.reduce((m, p) => Math.max(m, p.length), 0);
    const y = ctx.output(0, 'string', [...x.shape, width]) as Tensor<'string'>;
    const z = ctx.output(1, 'int64', x.shape) as Tensor<'int64'>;
    parts.forEach((p, i) => {
      for (let j = 0; j < width; j++) y.data[i * width + j] = j < p.length ? p[j] : '';
      z.data[i] = BigInt(p.length);
    });
    return ctx.results(y, z);
  },
});

function splitOn(s: string, delimiter: string, maxsplit: number | null): string[] {
  if (maxsplit === null) return s.split(delimiter);
  const out: string[] = [];
  let start = 0;
  while (out.length < maxsplit) {
    const at = s.indexOf(delimiter, start);
    if (at < 0) break;
    out.push(s.slice(start, at));
    start = at + delimiter.length;
  }
  out.push(s.slice(start));
  return out;
}

/** Python's str.isspace for one UTF-16 code unit (all its whitespace is in the BMP). */
function isSpace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x20) || code === 0x85 || code === 0xa0 || code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000
  );
}

function splitWhitespace(s: string, maxsplit: number | null): string[] {
  const out: string[] = [];
  const n = s.length;
  let i = 0;
  for (;;) {
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    if (i >= n) break;
    if (maxsplit !== null && out.length === maxsplit) {
      // the rest, trailing whitespace included, as Python keeps it
      out.push(s.slice(i));
      break;
    }
    let j = i;
    while (j < n && !isSpace(s.charCodeAt(j))) j++;
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}
