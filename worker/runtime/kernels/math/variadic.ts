/**
 * Variadic element-wise ops with multidirectional broadcasting: Max Min Mean Sum.
 * The first input is broadcast into the output, then each further input is folded in place.
 */
import type { Kernel } from '../../kernel';
import { kernel, kernelFail } from '../../kernel';
import type { DType, Tensor } from '../../tensor';
import { broadcastShapes } from '../common/broadcast';
import type { AnyArray, BinaryFn } from './binary-loop';
import { Arith, arithmeticInto, binaryInto } from './binary-loop';
import { planRows } from './row-plan';
import { FLOATS, NUMERIC } from '../common/dtypes';
import { expectDType, expectSameDType } from '../common/inputs';
import { shapeText } from '../common/shape-text';

const first: BinaryFn = (_acc, v) => v;
// NaN in either operand propagates, as in numpy.maximum / onnxruntime
const max: BinaryFn = (a, b) => (a > b || a !== a ? a : b);
const min: BinaryFn = (a, b) => (a < b || a !== a ? a : b);
const add: BinaryFn = (a, b) => a + b;

function variadicKernel(op: string, dtypes: readonly DType[], fn: BinaryFn, fast?: Arith, mean = false): Kernel<undefined> {
  return kernel({
    op,
    run(inputs, _attrs, ctx) {
      const xs = inputs.filter((t): t is Tensor => t !== undefined);
      if (xs.length === 0) kernelFail(ctx, 'needs at least one input');
      expectDType(ctx, xs[0], dtypes, 'input 0');
      expectSameDType(ctx, xs);
      const shape = broadcastShapes(...xs.map((t) => t.shape));
      if (!shape) kernelFail(ctx, `cannot broadcast shapes ${xs.map((t) => shapeText(t.shape)).join(', ')}`);
      const out = ctx.output(0, xs[0].dtype, shape);
      const acc = out.data as AnyArray;
      binaryInto(acc, acc, xs[0].data as AnyArray, planRows([shape, xs[0].shape], shape), first);
      const float = out.dtype === 'float32' || out.dtype === 'float64';
      for (let k = 1; k < xs.length; k++) {
        const plan = planRows([shape, xs[k].shape], shape);
        if (fast !== undefined && float) arithmeticInto(fast, acc as Float32Array, acc as Float32Array, xs[k].data as Float32Array, plan);
        else binaryInto(acc, acc, xs[k].data as AnyArray, plan, fn);
      }
      if (mean) {
        const data = acc as Float32Array;
        for (let i = 0; i < data.length; i++) data[i] /= xs.length;
      }
      return out;
    },
  });
}

export const maxKernel = variadicKernel('Max', NUMERIC, max);
export const minKernel = variadicKernel('Min', NUMERIC, min);
export const sumKernel = variadicKernel('Sum', FLOATS, add, Arith.Add);
export const meanKernel = variadicKernel('Mean', FLOATS, add, Arith.Add, true);
