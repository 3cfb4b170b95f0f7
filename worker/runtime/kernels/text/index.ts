/** String tensor ops: StringSplit, StringConcat (ai.onnx) and onnxruntime's com.microsoft Tokenizer. */
import type { Kernel } from '../../kernel';
import { stringConcat } from './string-concat';
import { stringSplit } from './string-split';
import { tokenizer } from './tokenizer';

export const textKernels: readonly Kernel<any>[] = [stringSplit, stringConcat, tokenizer];
