/** String tensor ops of ai.onnx: StringSplit, StringConcat. */
import type { AnyKernel } from '../../kernel';
import { stringConcat } from './string-concat';
import { stringSplit } from './string-split';

export const textKernels: readonly AnyKernel[] = [stringSplit, stringConcat];
