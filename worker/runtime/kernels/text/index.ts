/** String tensor ops: StringSplit, StringConcat (ai.onnx) and onnxruntime's com.microsoft Tokenizer. */
import type { AnyKernel } from '../../kernel';
import { stringConcatKernel } from './string-concat';
import { stringSplitKernel } from './string-split';
import { tokenizerKernel } from './tokenizer';

export const textKernels: readonly AnyKernel[] = [stringSplitKernel, stringConcatKernel, tokenizerKernel];
