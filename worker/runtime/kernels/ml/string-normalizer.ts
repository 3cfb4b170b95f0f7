/**
 * ai.onnx StringNormalizer (domain '', kept here with the scikit-learn text pipeline): drops
 * stopwords (compared case-insensitively unless is_case_sensitive) and changes case (LOWER,
 * UPPER, NONE). Input [C] or [1, C]; when every string is dropped the output is one empty string,
 * as in onnxruntime.
 *
 * Case is changed one code point at a time (a character whose lower/upper form is several
 * characters, like "ß" -> "SS", is kept), which is what onnxruntime's per-wchar_t towupper does.
 * `locale` is accepted and checked to be a name; the Unicode case tables need no locale except for
 * Turkish and Lithuanian rules, which onnxruntime's en_US default does not apply either.
 */
import { kernel, kernelFail, required } from '../../kernel';

type CaseAction = 'LOWER' | 'UPPER' | 'NONE';

interface StringNormalizerAttrs {
  readonly action: CaseAction;
  readonly caseSensitive: boolean;
  /** stopwords as compared: verbatim, or in the comparison case */
  readonly stopwords: ReadonlySet<string>;
  /** case used to compare when not case-sensitive */
  readonly compareCase: CaseAction;
}

/** Changes case per code point, keeping characters whose mapping is not a single code point. */
export function changeCase(s: string, action: CaseAction): string {
  if (action === 'NONE') return s;
  let out = '';
  for (const ch of s) {
    const m = action === 'LOWER' ? ch.toLowerCase() : ch.toUpperCase();
    out += [...m].length === 1 ? m : ch;
  }
  return out;
}

export const stringNormalizerKernel = kernel<StringNormalizerAttrs>({
  op: 'StringNormalizer',
  attributes(attrs) {
    const action = attrs.oneOf('case_change_action', ['LOWER', 'UPPER', 'NONE'] as const, 'NONE');
    const sensitive = attrs.int('is_case_sensitive', 0);
    if (sensitive !== 0 && sensitive !== 1) attrs.fail(`is_case_sensitive is ${sensitive}; use 0 or 1`);
    const locale = attrs.string('locale', 'en_US');
    if (!/^[A-Za-z]{1,8}([-_][A-Za-z0-9]+)*(\.[A-Za-z0-9-]+)?(@[A-Za-z0-9]+)?$/.test(locale)) attrs.fail(`locale "${locale}" is not a locale name like en_US`);
    const caseSensitive = sensitive === 1;
    const compareCase: CaseAction = caseSensitive ? 'NONE' : action === 'UPPER' ? 'UPPER' : 'LOWER';
    const stopwords = new Set<string>();
    for (const w of attrs.strings('stopwords', [] as string[])) {
      if (w === '') attrs.fail('stopwords contains an empty string');
      const key = changeCase(w, compareCase);
      if (stopwords.has(key)) attrs.fail(`stopword "${w}" is listed twice`);
      stopwords.add(key);
    }
    return { action, caseSensitive, stopwords, compareCase };
  },
  run(inputs, a, ctx) {
    const x = required(inputs, 0, ctx);
    if (x.dtype !== 'string') kernelFail(ctx, `input has dtype ${x.dtype}; StringNormalizer takes strings`);
    const batched = x.rank === 2;
    if (!(x.rank === 1 && x.shape[0] >= 1) && !(batched && x.shape[0] === 1 && x.shape[1] >= 1)) {
      kernelFail(ctx, `input must be [C] or [1, C] with C > 0, got [${x.shape.join(', ')}]`);
    }
    const kept: string[] = [];
    for (const s of x.data as string[]) {
      if (a.stopwords.size && a.stopwords.has(changeCase(s, a.compareCase))) continue;
      kept.push(changeCase(s, a.action));
    }
    if (kept.length === 0) kept.push('');
    const y = ctx.output(0, 'string', batched ? [1, kept.length] : [kept.length]);
    for (let i = 0; i < kept.length; i++) y.data[i] = kept[i];
    return y;
  },
});
