/**
 * erf and exp in float32 arithmetic, for float32 tensors: every operation is rounded to float32
 * (Math.fround), in the same order as the SIMD kernels of worker/wasm/activations.as.ts, so that
 * both paths give the same bits. (Rounding a double sum or product of two float32 values to float32
 * equals the float32 operation: double has more than twice float32's precision.)
 *
 * erf: the rational-free scheme onnxruntime's MlasErf uses (faithfully rounded with fused
 * multiply-add; a few ulp here with separate rounding), a polynomial in x^2 for |x| <= 0.921875
 * and 1 - exp(-p(|x|)) above, with |x| clamped at 3.925 where erf rounds to 1.
 * exp: Cody-Waite reduction by ln 2 and a degree-6 polynomial (the Cephes expf coefficients).
 */
// Math.fround is written out at every use: V8 inlines it as a float32 conversion only when the call
// is spelled Math.fround (through an alias each rounding became a real call, ~15x slower).
const f = Math.fround;

export const ERF_SPLIT = f(0.921875);
export const ERF_UPPER = f(3.925);
export const ERF_SMALL = [-5.99104969e-4, 4.99339588e-3, -2.67667342e-2, 1.12818025e-1, -3.76124859e-1, 1.28379151e-1].map(f);
export const ERF_BIG = [1.7294893e-5, -3.8320868e-4, 3.88393435e-3, -2.42545605e-2, 1.06777847e-1, 6.34846687e-1, 1.28717512e-1].map(f);

export const LOG2E = f(1.44269504088896341);
/** ln 2 in two parts: n * LN2_HI is exact for the n that occur */
export const LN2_HI = f(0.693359375);
export const LN2_LO = f(-2.12194440e-4);
export const EXP_POLY = [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1].map(f);
/** 1.5 * 2^23: adding and subtracting it rounds a float32 to the nearest integer (ties to even) */
export const ROUNDER = 12582912;
/** Below this exp would leave the normal range; it is clamped (exp(-87.3) ~ 1.2e-38, zero to any sum) */
export const EXP_LOWER = f(-87.3);
export const EXP_UPPER = f(88.3);

/** 2^(i - 127) for i in [0, 255): the scale factors of exp, as the SIMD kernel builds them from bits */
const POW2 = new Float32Array(255);
for (let i = 1; i < 255; i++) POW2[i] = 2 ** (i - 127);

const [S0, S1, S2, S3, S4, S5] = ERF_SMALL;
const [B0, B1, B2, B3, B4, B5, B6] = ERF_BIG;
const [E0, E1, E2, E3, E4, E5] = EXP_POLY;

// The loops below write exp and erf out in their bodies instead of calling a scalar function per
// element: a call that V8 does not inline returns its double boxed, one heap number per element.

/** y[i] = exp(y[i]) in place for i in [from, to), y in [EXP_LOWER, EXP_UPPER] (callers clamp). */
export function expInPlaceF32(y: Float32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const x = y[i];
    const n = Math.fround(Math.fround(Math.fround(x * LOG2E) + ROUNDER) - ROUNDER);
    let r = Math.fround(x - Math.fround(n * LN2_HI));
    r = Math.fround(r - Math.fround(n * LN2_LO));
    const z = Math.fround(r * r);
    let p = Math.fround(Math.fround(E0 * r) + E1);
    p = Math.fround(Math.fround(p * r) + E2);
    p = Math.fround(Math.fround(p * r) + E3);
    p = Math.fround(Math.fround(p * r) + E4);
    p = Math.fround(Math.fround(p * r) + E5);
    p = Math.fround(Math.fround(Math.fround(p * z) + r) + 1);
    y[i] = p * POW2[n + 127];
  }
}

/** y[i] = erf(x[i]) over n float32 values (y may be x). */
export function erfLoopF32(x: Float32Array, y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    const t = Math.abs(v);
    if (t > ERF_SPLIT) {
      const a = t < ERF_UPPER ? t : ERF_UPPER;
      let r = Math.fround(Math.fround(B0 * a) + B1);
      r = Math.fround(Math.fround(r * a) + B2);
      r = Math.fround(Math.fround(r * a) + B3);
      r = Math.fround(Math.fround(r * a) + B4);
      r = Math.fround(Math.fround(r * a) + B5);
      r = Math.fround(Math.fround(r * a) + B6);
      r = Math.fround(Math.fround(r * a) + a);
      // exp(-r), as expInPlaceF32 computes it
      const q = -r;
      const k = Math.fround(Math.fround(Math.fround(q * LOG2E) + ROUNDER) - ROUNDER);
      let f = Math.fround(q - Math.fround(k * LN2_HI));
      f = Math.fround(f - Math.fround(k * LN2_LO));
      const z = Math.fround(f * f);
      let p = Math.fround(Math.fround(E0 * f) + E1);
      p = Math.fround(Math.fround(p * f) + E2);
      p = Math.fround(Math.fround(p * f) + E3);
      p = Math.fround(Math.fround(p * f) + E4);
      p = Math.fround(Math.fround(p * f) + E5);
      p = Math.fround(Math.fround(Math.fround(p * z) + f) + 1);
      const e = Math.fround(1 - Math.fround(p * POW2[k + 127]));
      y[i] = v < 0 ? -e : e;
    } else {
      const s = Math.fround(v * v);
      let r = Math.fround(Math.fround(S0 * s) + S1);
      r = Math.fround(Math.fround(r * s) + S2);
      r = Math.fround(Math.fround(r * s) + S3);
      r = Math.fround(Math.fround(r * s) + S4);
      r = Math.fround(Math.fround(r * s) + S5);
      y[i] = Math.fround(r * v) + v;
    }
  }
}

/** One value through a loop (tests and one-off callers): a module scratch filled and read back at once. */
const ONE = new Float32Array(1);

/** exp(x) for a float32 x in [EXP_LOWER, EXP_UPPER], float32 arithmetic. */
export function expF32(x: number): number {
  ONE[0] = x;
  expInPlaceF32(ONE, 0, 1);
  return ONE[0];
}

/** erf(x) for a float32 x, float32 arithmetic. */
export function erfF32(x: number): number {
  ONE[0] = x;
  erfLoopF32(ONE, ONE, 1);
  return ONE[0];
}

const HALF_SQRT2 = Math.fround(Math.SQRT1_2);

/**
 * y[i] = gelu(v) = 0.5 v (1 + erf(v / sqrt 2)), v = x[i] + bias[i % width], over n float32 values;
 * bias null adds nothing; y must not be x. Three passes (the erf argument, erf in place, the
 * product) so that erf stays one loop.
 */
export function geluLoopF32(x: Float32Array, bias: Float32Array | null, width: number, y: Float32Array, n: number): void {
  if (bias === null) {
    for (let i = 0; i < n; i++) y[i] = x[i] * HALF_SQRT2;
    erfLoopF32(y, y, n);
    for (let i = 0; i < n; i++) {
      const v = x[i];
      y[i] = Math.fround(0.5 * v) * Math.fround(1 + y[i]);
    }
    return;
  }
  for (let i = 0, j = 0; i < n; i++) {
    y[i] = Math.fround(x[i] + bias[j]) * HALF_SQRT2;
    if (++j === width) j = 0;
  }
  erfLoopF32(y, y, n);
  for (let i = 0, j = 0; i < n; i++) {
    const v = Math.fround(x[i] + bias[j]);
    y[i] = Math.fround(0.5 * v) * Math.fround(1 + y[i]);
    if (++j === width) j = 0;
  }
}

/**
 * Softmax over `rows` rows of `len` contiguous float32 values:
 * m = max, e = exp(max(x - m, EXP_LOWER)), y = e * (1 / sum e).
 * The sum keeps four partial sums (element j of the first len & ~3 goes to j mod 4), combined as
 * ((s0 + s1) + (s2 + s3)), then adds the tail in order: the SIMD kernel's order.
 */
export function softmaxRowsF32(x: Float32Array, y: Float32Array, rows: number, len: number): void {
  const len4 = len & ~3;
  for (let row = 0, o = 0; row < rows; row++, o += len) {
    const end = o + len;
    let m = -Infinity;
    for (let j = o; j < end; j++) m = Math.max(m, x[j]);
    for (let j = o; j < end; j++) y[j] = Math.max(Math.fround(x[j] - m), EXP_LOWER);
    expInPlaceF32(y, o, end);
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = o;
    for (const end4 = o + len4; j < end4; j += 4) {
      s0 = Math.fround(s0 + y[j]);
      s1 = Math.fround(s1 + y[j + 1]);
      s2 = Math.fround(s2 + y[j + 2]);
      s3 = Math.fround(s3 + y[j + 3]);
    }
    let sum = Math.fround(Math.fround(s0 + s1) + Math.fround(s2 + s3));
    for (; j < end; j++) sum = Math.fround(sum + y[j]);
    const inv = Math.fround(1 / sum);
    for (let k = o; k < end; k++) y[k] *= inv;
  }
}
