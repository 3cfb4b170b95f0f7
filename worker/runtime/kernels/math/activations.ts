/**
 * Activation functions: Relu LeakyRelu Elu Selu Sigmoid HardSigmoid HardSwish Softplus Softsign
 * Gelu Celu ThresholdedRelu Shrink Mish Swish, and PRelu (a slope tensor broadcast one way onto X).
 */
import { kernel, kernelFail, required } from '../../kernel';
import { sameShape } from '../../tensor';
import { broadcastShapes } from '../common/broadcast';
import type { AnyArray } from './binary-loop';
import { binaryInto } from './binary-loop';
import { erf } from './erf';
import { geluIntoF32 } from './float32-activations';
import { planRows } from './row-plan';
import { unaryKernel } from './unary-kernel';
import { FLOATS, SIGNED_NUMERIC } from '../common/dtypes';
import { expectDType, expectSameDType } from '../common/inputs';
import { shapeText } from '../common/shape-text';

interface Alpha {
  readonly alpha: number;
}
interface AlphaBeta {
  readonly alpha: number;
  readonly beta: number;
}
interface AlphaGamma {
  readonly alpha: number;
  readonly gamma: number;
}

export const reluKernel = unaryKernel('Relu', {
  dtypes: SIGNED_NUMERIC,
  loop: (x, y, n) => { for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v > 0 ? v : 0; } },
  big: (v) => (v > 0n ? v : 0n),
});

export const leakyReluKernel = unaryKernel<Alpha>('LeakyRelu', {
  dtypes: FLOATS,
  attributes: (r) => ({ alpha: r.float('alpha', 0.01) }),
  loop: (x, y, n, { alpha }) => { for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v >= 0 ? v : alpha * v; } },
});

export const eluKernel = unaryKernel<Alpha>('Elu', {
  dtypes: FLOATS,
  attributes: (r) => ({ alpha: r.float('alpha', 1) }),
  loop: (x, y, n, { alpha }) => { for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v >= 0 ? v : alpha * Math.expm1(v); } },
});

// Defaults are the float32 values the ONNX spec lists.
export const seluKernel = unaryKernel<AlphaGamma>('Selu', {
  dtypes: FLOATS,
  attributes: (r) => ({ alpha: r.float('alpha', 1.67326319217681884765625), gamma: r.float('gamma', 1.05070102214813232421875) }),
  loop: (x, y, n, { alpha, gamma }) => {
    for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v > 0 ? gamma * v : gamma * alpha * Math.expm1(v); }
  },
});

export const sigmoidKernel = unaryKernel('Sigmoid', {
  dtypes: FLOATS,
  // exp of a non-positive argument only, so large |x| neither overflows nor loses precision
  loop: (x, y, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      if (v >= 0) y[i] = 1 / (1 + Math.exp(-v));
      else { const e = Math.exp(v); y[i] = e / (1 + e); }
    }
  },
});

export const hardSigmoidKernel = unaryKernel<AlphaBeta>('HardSigmoid', {
  dtypes: FLOATS,
  attributes: (r) => ({ alpha: r.float('alpha', 0.2), beta: r.float('beta', 0.5) }),
  loop: (x, y, n, { alpha, beta }) => { for (let i = 0; i < n; i++) y[i] = Math.max(0, Math.min(1, alpha * x[i] + beta)); },
});

export const hardSwishKernel = unaryKernel('HardSwish', {
  dtypes: FLOATS,
  loop: (x, y, n) => { for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v * Math.max(0, Math.min(1, v / 6 + 0.5)); } },
});

export const softplusKernel = unaryKernel('Softplus', {
  dtypes: FLOATS,
  loop: (x, y, n) => { for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)); } },
});

export const softsignKernel = unaryKernel('Softsign', {
  dtypes: FLOATS,
  loop: (x, y, n) => { for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v / (1 + Math.abs(v)); } },
});

export const celuKernel = unaryKernel<Alpha>('Celu', {
  dtypes: FLOATS,
  attributes: (r) => {
    const alpha = r.float('alpha', 1);
    if (alpha === 0) r.fail('attribute "alpha" is 0; Celu divides by it, use a non-zero value');
    return { alpha };
  },
  loop: (x, y, n, { alpha }) => { for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v > 0 ? v : alpha * Math.expm1(v / alpha); } },
});

export const thresholdedReluKernel = unaryKernel<Alpha>('ThresholdedRelu', {
  dtypes: FLOATS,
  attributes: (r) => ({ alpha: r.float('alpha', 1) }),
  loop: (x, y, n, { alpha }) => { for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v > alpha ? v : 0; } },
});

interface ShrinkAttrs {
  readonly bias: number;
  readonly lambd: number;
}

/** Shrink also takes integer tensors (not 64-bit); results are stored, and so truncated, in X's type. */
export const shrinkKernel = unaryKernel<ShrinkAttrs>('Shrink', {
  dtypes: [...FLOATS, 'int8', 'int16', 'int32', 'uint8', 'uint16', 'uint32'],
  attributes: (r) => ({ bias: r.float('bias', 0), lambd: r.float('lambd', 0.5) }),
  loop: (x, y, n, { bias, lambd }) => {
    for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v < -lambd ? v + bias : v > lambd ? v - bias : 0; }
  },
});

/** Mish: x * tanh(softplus(x)), softplus written to neither overflow nor lose small values. */
export const mishKernel = unaryKernel('Mish', {
  dtypes: FLOATS,
  loop: (x, y, n) => {
    for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v * Math.tanh(v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v))); }
  },
});

/** Swish (opset 24): x * sigmoid(alpha * x). */
export const swishKernel = unaryKernel<Alpha>('Swish', {
  dtypes: FLOATS,
  attributes: (r) => ({ alpha: r.float('alpha', 1) }),
  loop: (x, y, n, { alpha }) => {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      const t = alpha * v;
      y[i] = t >= 0 ? v / (1 + Math.exp(-t)) : (v * Math.exp(t)) / (1 + Math.exp(t));
    }
  },
});

interface GeluAttrs {
  readonly approximate: 'none' | 'tanh';
}

const SQRT_HALF = Math.SQRT1_2;
const SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

export const geluKernel = unaryKernel<GeluAttrs>('Gelu', {
  dtypes: FLOATS,
  attributes: (r) => ({ approximate: r.oneOf('approximate', ['none', 'tanh'] as const, 'none') }),
  loop: (x, y, n, { approximate }) => {
    if (approximate === 'tanh') {
      for (let i = 0; i < n; i++) { const v = x[i]; y[i] = 0.5 * v * (1 + Math.tanh(SQRT_TWO_OVER_PI * (v + 0.044715 * v * v * v))); }
    } else if (x instanceof Float32Array) {
      geluIntoF32(x, null, 1, y, n); // float32 arithmetic, as com.microsoft Gelu
    } else {
      for (let i = 0; i < n; i++) { const v = x[i]; y[i] = 0.5 * v * (1 + erf(v * SQRT_HALF)); }
    }
  },
});

/** PRelu: slope broadcasts onto X (never the other way), so the output has X's shape. */
export const pReluKernel = kernel({
  op: 'PRelu',
  run(inputs, _attrs, ctx) {
    const x = required(inputs, 0, ctx);
    const slope = required(inputs, 1, ctx);
    expectDType(ctx, x, SIGNED_NUMERIC, 'input X');
    expectSameDType(ctx, [x, slope]);
    if (!sameShape(x.shape, slope.shape)) {
      const shape = broadcastShapes(x.shape, slope.shape);
      if (!shape || !sameShape(shape, x.shape)) {
        kernelFail(ctx, `slope of shape ${shapeText(slope.shape)} does not broadcast to X of shape ${shapeText(x.shape)}`);
      }
    }
    const out = ctx.output(0, x.dtype, x.shape);
    const fn = (v: any, s: any) => (v < 0 ? v * s : v);
    binaryInto(out.data as AnyArray, x.data as AnyArray, slope.data as AnyArray, planRows([x.shape, slope.shape], x.shape), fn);
    return out;
  },
});
