/** String tensor ops of ai.onnx: StringSplit, StringConcat. */
import type { AnyKernel } from '../../kernel';
import { stringConcatKernel } from './string-concat';
import { stringSplitKernel } from './string-split';

export const textKernels: readonly AnyKernel[] = [stringSplitKernel, stringConcatKernel];
