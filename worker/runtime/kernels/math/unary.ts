/**
 * Element-wise math: Abs Ceil Cos Erf Exp Floor Log Neg Not Reciprocal Sign Sin Sqrt Tanh.
 */
import { erf } from './erf';
import { erfIntoF32 } from './float32-activations';
import { unaryKernel } from './unary-kernel';
import { BOOL, FLOATS, NUMERIC, SIGNED_NUMERIC } from '../common/dtypes';

export const absKernel = unaryKernel('Abs', {
  dtypes: NUMERIC,
  loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.abs(x[i]); },
  big: (v) => (v < 0n ? -v : v),
});
export const negKernel = unaryKernel('Neg', {
  dtypes: SIGNED_NUMERIC,
  loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = -x[i]; },
  big: (v) => -v,
});
export const signKernel = unaryKernel('Sign', {
  dtypes: NUMERIC,
  loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.sign(x[i]); },
  big: (v) => (v > 0n ? 1n : v < 0n ? -1n : 0n),
});
export const notKernel = unaryKernel('Not', {
  dtypes: BOOL,
  loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = x[i] ? 0 : 1; },
});

export const ceilKernel = unaryKernel('Ceil', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.ceil(x[i]); } });
export const floorKernel = unaryKernel('Floor', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.floor(x[i]); } });
export const cosKernel = unaryKernel('Cos', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.cos(x[i]); } });
export const sinKernel = unaryKernel('Sin', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.sin(x[i]); } });
export const expKernel = unaryKernel('Exp', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.exp(x[i]); } });
export const logKernel = unaryKernel('Log', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.log(x[i]); } });
export const sqrtKernel = unaryKernel('Sqrt', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.sqrt(x[i]); } });
export const tanhKernel = unaryKernel('Tanh', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]); } });
// float32 in float32 arithmetic (as onnxruntime's MlasErf), float64 to double precision
export const erfKernel = unaryKernel('Erf', {
  dtypes: FLOATS,
  loop: (x, y, n) => {
    if (x instanceof Float32Array) erfIntoF32(x, y, n);
    else for (let i = 0; i < n; i++) y[i] = erf(x[i]);
  },
});
export const reciprocalKernel = unaryKernel('Reciprocal', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = 1 / x[i]; } });

// Less common math, same pattern.
export const tanKernel = unaryKernel('Tan', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.tan(x[i]); } });
export const asinKernel = unaryKernel('Asin', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.asin(x[i]); } });
export const acosKernel = unaryKernel('Acos', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.acos(x[i]); } });
export const atanKernel = unaryKernel('Atan', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.atan(x[i]); } });
export const sinhKernel = unaryKernel('Sinh', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.sinh(x[i]); } });
export const coshKernel = unaryKernel('Cosh', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.cosh(x[i]); } });
export const asinhKernel = unaryKernel('Asinh', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.asinh(x[i]); } });
export const acoshKernel = unaryKernel('Acosh', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.acosh(x[i]); } });
export const atanhKernel = unaryKernel('Atanh', { dtypes: FLOATS, loop: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.atanh(x[i]); } });
/** Round half to even, as numpy and onnxruntime do (Math.round rounds half up). */
export const roundKernel = unaryKernel('Round', {
  dtypes: FLOATS,
  loop: (x, y, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      const r = Math.round(v);
      y[i] = r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
    }
  },
});
