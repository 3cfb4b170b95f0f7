/**
 * Element-wise math: Abs Ceil Cos Erf Exp Floor Log Neg Not Reciprocal Sign Sin Sqrt Tanh.
 */
import { erf } from './erf';
import { BOOL, FLOATS, NUMERIC, SIGNED_NUMERIC } from './dtypes';
import { unaryKernel } from './unary-kernel';

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
