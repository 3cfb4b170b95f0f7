/**
 * The math family: element-wise arithmetic, comparison and logic, activations, reductions,
 * Softmax and Cast. Listed one by one so the inventory is visible at a glance.
 */
import type { Kernel } from '../../kernel';
import { Elu, Gelu, HardSigmoid, HardSwish, LeakyRelu, PRelu, Relu, Selu, Sigmoid, Softplus, Softsign } from './activations';
import { ArgMax, ArgMin } from './arg-reduce';
import { Add, Div, Mod, Mul, Pow, Sub } from './binary';
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
import { LogSoftmax, Softmax } from './softmax';
import {
  Abs, Acos, Acosh, Asin, Asinh, Atan, Atanh, Ceil, Cos, Cosh, Erf, Exp, Floor, Log, Neg, Not, Reciprocal, Round, Sign, Sin, Sinh, Sqrt, Tan, Tanh,
} from './unary';
import { Max, Mean, Min, Sum } from './variadic';
import { Where } from './where';

export const mathKernels: readonly Kernel<any>[] = [
  // unary math
  Abs, Ceil, Cos, Erf, Exp, Floor, Log, Neg, Not, Reciprocal, Sign, Sin, Sqrt, Tanh,
  Tan, Asin, Acos, Atan, Sinh, Cosh, Asinh, Acosh, Atanh, Round,
  // activations
  Relu, LeakyRelu, Elu, Selu, Sigmoid, HardSigmoid, HardSwish, Softplus, Softsign, Gelu, PRelu, Clip,
  // broadcasting binary arithmetic
  Add, Sub, Mul, Div, Pow, Mod,
  // comparison and logic
  Equal, Greater, GreaterOrEqual, Less, LessOrEqual, And, Or, Xor,
  // variadic
  Max, Min, Mean, Sum,
  // selection and conversion
  Where, Cast, CastLike,
  // reductions
  ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd, ReduceSumSquare, ReduceL1, ReduceL2, ReduceLogSum, ReduceLogSumExp,
  ArgMax, ArgMin,
  // normalisation along an axis
  Softmax, LogSoftmax,
];
