/**
 * The ML ops carry labels and categories as one of two list attributes, strings or integers
 * (classlabels_strings / classlabels_int64s, cats_strings / cats_int64s...): exactly one is set.
 */
import type { AttributeReader } from '../../kernel';

export interface LabelLists {
  /** the string labels, or [] when the integer list is the one set */
  readonly strings: string[];
  readonly ints: number[];
  /** how many labels the set list holds */
  readonly count: number;
}

/** Reads the pair `stringsName` / `intsName`, failing unless exactly one of them is set; `what` names them in errors. */
export function readLabelLists(attrs: AttributeReader, stringsName: string, intsName: string, what: string): LabelLists {
  const strings = attrs.strings(stringsName, [] as string[]);
  const ints = attrs.ints(intsName, [] as number[]);
  if (strings.length && ints.length) attrs.fail(`set only one of ${stringsName} and ${intsName}`);
  if (!strings.length && !ints.length) attrs.fail(`${what} are missing: set ${stringsName} or ${intsName}`);
  return { strings, ints, count: strings.length || ints.length };
}
