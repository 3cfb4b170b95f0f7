/**
 * Broadcasting arithmetic: Add Sub Mul Div Pow Mod.
 *
 * Integer semantics follow C (and onnxruntime): results wrap on overflow (typed-array stores do
 * that), Div truncates toward zero, and division by zero gives 0 instead of throwing.
 */
import { kernel, kernelFail, required } from '../../kernel';
import type { DType } from '../../tensor';
import { isBigIntDType, isFloatDType } from '../../tensor';
import type { AnyArray, BinaryFn } from './binary-loop';
import { Arith, binaryInto } from './binary-loop';
import { binaryKernel, binaryOutput, broadcastShape, type BinaryPlan } from './binary-kernel';
import { planRows } from './row-plan';
import { NUMERIC } from '../common/dtypes';
import { expectDType } from '../common/inputs';

const add: BinaryFn = (a, b) => a + b;
const sub: BinaryFn = (a, b) => a - b;
const mul: BinaryFn = (a, b) => a * b;
const divFloat: BinaryFn = (a, b) => a / b;
const divInt: BinaryFn = (a: number, b: number) => (b === 0 ? 0 : Math.trunc(a / b));
const divBig: BinaryFn = (a: bigint, b: bigint) => (b === 0n ? 0n : a / b);

export const addKernel = binaryKernel('Add', { dtypes: NUMERIC, fast: Arith.Add, fn: () => add });
export const subKernel = binaryKernel('Sub', { dtypes: NUMERIC, fast: Arith.Sub, fn: () => sub });
export const mulKernel = binaryKernel('Mul', {
  dtypes: NUMERIC,
  fast: Arith.Mul,
  // a double product of two 32-bit integers can exceed 2^53; Math.imul wraps exactly
  fn: (dtype) => (dtype === 'int32' || dtype === 'uint32' ? Math.imul : mul),
});
export const divKernel = binaryKernel('Div', {
  dtypes: NUMERIC,
  fast: Arith.Div,
  fn: (dtype) => (isFloatDType(dtype) ? divFloat : isBigIntDType(dtype) ? divBig : divInt),
});

interface ModAttrs {
  readonly fmod: boolean;
}

export const modKernel = binaryKernel<ModAttrs>('Mod', {
  dtypes: NUMERIC,
  attributes: (r) => {
    const fmod = r.int('fmod', 0);
    if (fmod !== 0 && fmod !== 1) r.fail(`attribute "fmod" is ${fmod}; use 0 (sign of the divisor) or 1 (C fmod)`);
    return { fmod: fmod === 1 };
  },
  fn: (dtype, { fmod }) => modFn(dtype, fmod),
});

function modFn(dtype: DType, fmod: boolean): BinaryFn {
  if (isBigIntDType(dtype)) {
    return (a: bigint, b: bigint) => {
      if (b === 0n) return 0n;
      const r = a % b;
      return !fmod && r !== 0n && r < 0n !== b < 0n ? r + b : r;
    };
  }
  const integer = !isFloatDType(dtype);
  return (a: number, b: number) => {
    if (integer && b === 0) return 0;
    const r = a % b;
    return !fmod && r !== 0 && r < 0 !== b < 0 ? r + b : r;
  };
}

/**
 * Pow: the exponent may have another numeric dtype than the base (opset >= 12); the result has
 * the base's dtype. Integer results truncate toward zero.
 */
export const powKernel = kernel<undefined, BinaryPlan>({
  op: 'Pow',
  plan(inputs, _attrs, ctx) {
    const a = required(inputs, 0, ctx);
    const b = required(inputs, 1, ctx);
    expectDType(ctx, a, NUMERIC, 'input X');
    expectDType(ctx, b, NUMERIC, 'input Y');
    if (ctx.opset < 12 && a.dtype !== b.dtype) {
      kernelFail(ctx, `input Y has dtype ${b.dtype} but X has ${a.dtype}; before opset 12 they must match`);
    }
    const shape = broadcastShape(ctx, a, b);
    return { dtype: a.dtype, shape, rows: planRows([a.shape, b.shape], shape), fn: powFn(a.dtype, b.dtype) };
  },
  outputs: binaryOutput,
  run(inputs, _attrs, ctx, plan) {
    const a = inputs[0]!;
    const out = ctx.output(0, plan.dtype, plan.shape);
    binaryInto(out.data as AnyArray, a.data as AnyArray, inputs[1]!.data as AnyArray, plan.rows, plan.fn!);
    return out;
  },
});

function powFn(base: DType, exponent: DType): BinaryFn {
  const bigBase = isBigIntDType(base);
  const bigExp = isBigIntDType(exponent);
  if (bigBase && bigExp) {
    return (a: bigint, b: bigint) => {
      if (b >= 0n) return a ** b;
      // negative integer exponents: only |a| = 1 gives a non-zero integer
      if (a === 1n) return 1n;
      if (a === -1n) return b % 2n === 0n ? 1n : -1n;
      return 0n;
    };
  }
  if (bigBase) {
    return (a: bigint, b: number) => {
      const r = Math.trunc(Number(a) ** b);
      return Number.isFinite(r) ? BigInt(r) : 0n;
    };
  }
  const integer = !isFloatDType(base);
  if (bigExp) return integer ? (a: number, b: bigint) => Math.trunc(a ** Number(b)) : (a: number, b: bigint) => a ** Number(b);
  return integer ? (a: number, b: number) => Math.trunc(a ** b) : (a: number, b: number) => a ** b;
}
