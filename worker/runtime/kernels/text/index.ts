/** String tensor ops of ai.onnx: StringSplit, StringConcat. */
import type { Kernel } from '../../kernel';
import { stringConcat } from './string-concat';
import { stringSplit } from './string-split';

export const textKernels: readonly Kernel<any>[] = [stringSplit, stringConcat];
