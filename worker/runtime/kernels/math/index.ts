/**
 * The math family: element-wise arithmetic, comparison, logic and bit operations, activations,
 * reductions, Softmax/Hardmax, Cast/BitCast, Det and the signal windows. Listed one by one so
 * the inventory is visible at a glance.
 */
import type { AnyKernel } from '../../kernel';
import {
  Celu, Elu, Gelu, HardSigmoid, HardSwish, LeakyRelu, Mish, PRelu, Relu, Selu, Shrink, Sigmoid, Softplus, Softsign, Swish, ThresholdedRelu,
} from './activations';
import { ArgMax, ArgMin } from './arg-reduce';
import { Add, Div, Mod, Mul, Pow, Sub } from './binary';
import { BitCast } from './bitcast';
import { BitShift, BitwiseAnd, BitwiseNot, BitwiseOr, BitwiseXor } from './bitwise';
import { Cast, CastLike } from './cast';
import { Clip } from './clip';
import { And, Equal, Greater, GreaterOrEqual, Less, LessOrEqual, Or, Xor } from './compare-logic';
import {
  ReduceL1,
  ReduceL2,
  ReduceLogSum,
  ReduceLogSumExp,
  ReduceMax,
  ReduceMean,
  ReduceMin,
  ReduceProd,
  ReduceSum,
  ReduceSumSquare,
} from './reduce';
import { Det } from './det';
import { Hardmax } from './hardmax';
import { IsInf, IsNaN } from './predicates';
import { LogSoftmax, Softmax } from './softmax';
import {
  Abs, Acos, Acosh, Asin, Asinh, Atan, Atanh, Ceil, Cos, Cosh, Erf, Exp, Floor, Log, Neg, Not, Reciprocal, Round, Sign, Sin, Sinh, Sqrt, Tan, Tanh,
} from './unary';
import { Max, Mean, Min, Sum } from './variadic';
import { Where } from './where';
import { BlackmanWindow, HammingWindow, HannWindow } from './windows';

export const mathKernels: readonly AnyKernel[] = [
  // unary math
  Abs, Ceil, Cos, Erf, Exp, Floor, Log, Neg, Not, Reciprocal, Sign, Sin, Sqrt, Tanh,
  Tan, Asin, Acos, Atan, Sinh, Cosh, Asinh, Acosh, Atanh, Round,
  // activations
  Relu, LeakyRelu, Elu, Selu, Sigmoid, HardSigmoid, HardSwish, Softplus, Softsign, Gelu, PRelu, Clip,
  Celu, ThresholdedRelu, Shrink, Mish, Swish,
  // float predicates
  IsNaN, IsInf,
  // broadcasting binary arithmetic
  Add, Sub, Mul, Div, Pow, Mod,
  // comparison and logic
  Equal, Greater, GreaterOrEqual, Less, LessOrEqual, And, Or, Xor,
  // integer bit operations
  BitwiseAnd, BitwiseOr, BitwiseXor, BitwiseNot, BitShift,
  // variadic
  Max, Min, Mean, Sum,
  // selection and conversion
  Where, Cast, CastLike, BitCast,
  // reductions
  ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd, ReduceSumSquare, ReduceL1, ReduceL2, ReduceLogSum, ReduceLogSumExp,
  ArgMax, ArgMin,
  // normalisation along an axis
  Softmax, LogSoftmax, Hardmax,
  // linear algebra on small matrices
  Det,
  // signal windows
  HannWindow, HammingWindow, BlackmanWindow,
];
