/** Training losses found in exported training-ready graphs: negative log-likelihood and softmax cross-entropy. */
import type { AnyKernel } from '../../kernel';
import { negativeLogLikelihoodLossKernel } from './negative-log-likelihood-loss';
import { softmaxCrossEntropyLossKernel } from './softmax-cross-entropy-loss';

export const lossKernels: readonly AnyKernel[] = [negativeLogLikelihoodLossKernel, softmaxCrossEntropyLossKernel];
