/**
 * The math family: element-wise arithmetic, comparison, logic and bit operations, activations,
 * reductions, Softmax/Hardmax, Cast/BitCast, Det and the signal windows. Listed one by one so
 * the inventory is visible at a glance.
 */
import type { AnyKernel } from '../../kernel';
import {
  celuKernel, eluKernel, geluKernel, hardSigmoidKernel, hardSwishKernel, leakyReluKernel, mishKernel, pReluKernel, reluKernel, seluKernel, shrinkKernel, sigmoidKernel, softplusKernel, softsignKernel, swishKernel, thresholdedReluKernel,
} from './activations';
import { argMaxKernel, argMinKernel } from './arg-reduce';
import { addKernel, divKernel, modKernel, mulKernel, powKernel, subKernel } from './binary';
import { bitCastKernel } from './bitcast';
import { bitShiftKernel, bitwiseAndKernel, bitwiseNotKernel, bitwiseOrKernel, bitwiseXorKernel } from './bitwise';
import { castKernel, castLikeKernel } from './cast';
import { clipKernel } from './clip';
import { andKernel, equalKernel, greaterKernel, greaterOrEqualKernel, lessKernel, lessOrEqualKernel, orKernel, xorKernel } from './compare-logic';
import {
  reduceL1Kernel,
  reduceL2Kernel,
  reduceLogSumKernel,
  reduceLogSumExpKernel,
  reduceMaxKernel,
  reduceMeanKernel,
  reduceMinKernel,
  reduceProdKernel,
  reduceSumKernel,
  reduceSumSquareKernel,
} from './reduce';
import { detKernel } from './det';
import { hardmaxKernel } from './hardmax';
import { isInfKernel, isNaNKernel } from './predicates';
import { logSoftmaxKernel, softmaxKernel } from './softmax';
import {
  absKernel, acosKernel, acoshKernel, asinKernel, asinhKernel, atanKernel, atanhKernel, ceilKernel, cosKernel, coshKernel, erfKernel, expKernel, floorKernel, logKernel, negKernel, notKernel, reciprocalKernel, roundKernel, signKernel, sinKernel, sinhKernel, sqrtKernel, tanKernel, tanhKernel,
} from './unary';
import { maxKernel, meanKernel, minKernel, sumKernel } from './variadic';
import { whereKernel } from './where';
import { blackmanWindowKernel, hammingWindowKernel, hannWindowKernel } from './windows';

export const mathKernels: readonly AnyKernel[] = [
  // unary math
  absKernel, ceilKernel, cosKernel, erfKernel, expKernel, floorKernel, logKernel, negKernel, notKernel, reciprocalKernel, signKernel, sinKernel, sqrtKernel, tanhKernel,
  tanKernel, asinKernel, acosKernel, atanKernel, sinhKernel, coshKernel, asinhKernel, acoshKernel, atanhKernel, roundKernel,
  // activations
  reluKernel, leakyReluKernel, eluKernel, seluKernel, sigmoidKernel, hardSigmoidKernel, hardSwishKernel, softplusKernel, softsignKernel, geluKernel, pReluKernel, clipKernel,
  celuKernel, thresholdedReluKernel, shrinkKernel, mishKernel, swishKernel,
  // float predicates
  isNaNKernel, isInfKernel,
  // broadcasting binary arithmetic
  addKernel, subKernel, mulKernel, divKernel, powKernel, modKernel,
  // comparison and logic
  equalKernel, greaterKernel, greaterOrEqualKernel, lessKernel, lessOrEqualKernel, andKernel, orKernel, xorKernel,
  // integer bit operations
  bitwiseAndKernel, bitwiseOrKernel, bitwiseXorKernel, bitwiseNotKernel, bitShiftKernel,
  // variadic
  maxKernel, minKernel, meanKernel, sumKernel,
  // selection and conversion
  whereKernel, castKernel, castLikeKernel, bitCastKernel,
  // reductions
  reduceSumKernel, reduceMeanKernel, reduceMaxKernel, reduceMinKernel, reduceProdKernel, reduceSumSquareKernel, reduceL1Kernel, reduceL2Kernel, reduceLogSumKernel, reduceLogSumExpKernel,
  argMaxKernel, argMinKernel,
  // normalisation along an axis
  softmaxKernel, logSoftmaxKernel, hardmaxKernel,
  // linear algebra on small matrices
  detKernel,
  // signal windows
  hannWindowKernel, hammingWindowKernel, blackmanWindowKernel,
];
