/**
 * Element-wise math: Abs Ceil Cos Erf Exp Floor Log Neg Not Reciprocal Sign Sin Sqrt Tanh.
 */
import { erf } from './erf';
import { unaryKernel } from './unary-kernel';
import { BOOL, FLOATS, NUMERIC, SIGNED_NUMERIC } from '../common/dtypes';

export const Abs = unaryKernel('Abs', {
  dtypes: NUMERIC,
  loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.abs(x[i]); },
  big: (v) => (v < 0n ? -v : v),
});
export const Neg = unaryKernel('Neg', {
  dtypes: SIGNED_NUMERIC,
  loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = -x[i]; },
  big: (v) => -v,
});
export const Sign = unaryKernel('Sign', {
  dtypes: NUMERIC,
  loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.sign(x[i]); },
  big: (v) => (v > 0n ? 1n : v < 0n ? -1n : 0n),
});
export const Not = unaryKernel('Not', {
  dtypes: BOOL,
  loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = x[i] ? 0 : 1; },
});

export const Ceil = unaryKernel('Ceil', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.ceil(x[i]); } });
export const Floor = unaryKernel('Floor', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.floor(x[i]); } });
export const Cos = unaryKernel('Cos', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.cos(x[i]); } });
export const Sin = unaryKernel('Sin', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.sin(x[i]); } });
export const Exp = unaryKernel('Exp', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.exp(x[i]); } });
export const Log = unaryKernel('Log', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.log(x[i]); } });
export const Sqrt = unaryKernel('Sqrt', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.sqrt(x[i]); } });
export const Tanh = unaryKernel('Tanh', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]); } });
export const Erf = unaryKernel('Erf', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = erf(x[i]); } });
export const Reciprocal = unaryKernel('Reciprocal', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = 1 / x[i]; } });

// Less common math, same pattern.
export const Tan = unaryKernel('Tan', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.tan(x[i]); } });
export const Asin = unaryKernel('Asin', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.asin(x[i]); } });
export const Acos = unaryKernel('Acos', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.acos(x[i]); } });
export const Atan = unaryKernel('Atan', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.atan(x[i]); } });
export const Sinh = unaryKernel('Sinh', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.sinh(x[i]); } });
export const Cosh = unaryKernel('Cosh', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.cosh(x[i]); } });
export const Asinh = unaryKernel('Asinh', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.asinh(x[i]); } });
export const Acosh = unaryKernel('Acosh', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.acosh(x[i]); } });
export const Atanh = unaryKernel('Atanh', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.atanh(x[i]); } });
/** Round half to even, as numpy and onnxruntime do (Math.round rounds half up). */
export const Round = unaryKernel('Round', {
  dtypes: FLOATS,
  loop: (x, y, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      const r = Math.round(v);
      y[i] = r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
    }
  },
});
