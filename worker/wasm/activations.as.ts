// erf, GELU and Softmax over float32 in SIMD, four lanes at a time, with the same float32
// operations in the same order as worker/runtime/kernels/math/float32-math.ts (the JavaScript path
// and the source of the constants), so that both give the same bits. A tail of fewer than four
// elements runs through the same vector code on a splat, never through different scalar code.

// @ts-nocheck: AssemblyScript source (types such as f32, usize, v128 are AssemblyScript builtins).

const ERF_SPLIT: f32 = 0.921875;
const ERF_UPPER: f32 = 3.925;
const S0: f32 = -5.99104969e-4;
const S1: f32 = 4.99339588e-3;
const S2: f32 = -2.67667342e-2;
const S3: f32 = 1.12818025e-1;
const S4: f32 = -3.76124859e-1;
const S5: f32 = 1.28379151e-1;
const B0: f32 = 1.7294893e-5;
const B1: f32 = -3.8320868e-4;
const B2: f32 = 3.88393435e-3;
const B3: f32 = -2.42545605e-2;
const B4: f32 = 1.06777847e-1;
const B5: f32 = 6.34846687e-1;
const B6: f32 = 1.28717512e-1;

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const E0: f32 = 1.9875691500e-4;
const E1: f32 = 1.3981999507e-3;
const E2: f32 = 8.3334519073e-3;
const E3: f32 = 4.1665795894e-2;
const E4: f32 = 1.6666665459e-1;
const E5: f32 = 5.0000001201e-1;
const ROUNDER: f32 = 12582912.0;
const EXP_LOWER: f32 = -87.3;
const HALF_SQRT2: f32 = 0.7071067811865476;

// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: f32): v128 {
  return f32x4.add(f32x4.mul(a, b), f32x4.splat(c));
}

/** c0 x^5 + c1 x^4 + ... + c5 by Horner's rule: ((c0 x + c1) x + c2) ..., rounding after each step. */
// @ts-ignore: decorator
@inline
function poly5(x: v128, c0: f32, c1: f32, c2: f32, c3: f32, c4: f32, c5: f32): v128 {
  return madd(madd(madd(madd(madd(f32x4.splat(c0), x, c1), x, c2), x, c3), x, c4), x, c5);
}

/** exp(x) for x in [-87.3, 88.3] (callers clamp). */
// @ts-ignore: decorator
@inline
function exp4(x: v128): v128 {
  const rounder = f32x4.splat(ROUNDER);
  // t = round(x log2 e) + 1.5 * 2^23: its low mantissa bits hold n + 2^22, its low 9 bits n
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), rounder);
  const n = f32x4.sub(t, rounder);
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  const z = f32x4.mul(r, r);
  const p = f32x4.add(f32x4.add(f32x4.mul(poly5(r, E0, E1, E2, E3, E4, E5), z), r), f32x4.splat(1.0));
  // 2^n as bits: (n + 127) << 23, with n + 127 taken from t's bits (cheaper than a float-to-int conversion)
  const scale = i32x4.shl(i32x4.add(t, i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

// @ts-ignore: decorator
@inline
function erf4(x: v128): v128 {
  const t = f32x4.abs(x);
  const s = f32x4.mul(x, x);
  const small = f32x4.add(f32x4.mul(poly5(s, S0, S1, S2, S3, S4, S5), x), x);
  // min(t, upper) as a compare and select (a NaN lane takes the small branch anyway)
  const upper = f32x4.splat(ERF_UPPER);
  const a = v128.bitselect(t, upper, f32x4.lt(t, upper));
  const r = f32x4.add(f32x4.mul(madd(poly5(a, B0, B1, B2, B3, B4, B5), a, B6), a), a);
  const e = f32x4.sub(f32x4.splat(1.0), exp4(f32x4.neg(r)));
  const big = v128.or(e, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(big, small, f32x4.gt(t, f32x4.splat(ERF_SPLIT)));
}

// @ts-ignore: decorator
@inline
function gelu4(v: v128): v128 {
  const e = erf4(f32x4.mul(v, f32x4.splat(HALF_SQRT2)));
  return f32x4.mul(f32x4.mul(f32x4.splat(0.5), v), f32x4.add(f32x4.splat(1.0), e));
}

/** y[i] = erf(x[i]) for n floats; y may be x. */
export function erfF32(x: usize, y: usize, n: i32): void {
  const n4 = n & ~3;
  const n8 = n & ~7;
  const n16 = n & ~15;
  let i = 0;
  // four vectors per step, then two: their independent dependency chains overlap (see geluRow)
  for (; i < n16; i += 16) {
    const off = <usize>i << 2;
    const a = erf4(v128.load(x + off));
    const b = erf4(v128.load(x + off + 16));
    const c = erf4(v128.load(x + off + 32));
    const d = erf4(v128.load(x + off + 48));
    v128.store(y + off, a);
    v128.store(y + off + 16, b);
    v128.store(y + off + 32, c);
    v128.store(y + off + 48, d);
  }
  for (; i < n8; i += 8) {
    const off = <usize>i << 2;
    const a = erf4(v128.load(x + off));
    const b = erf4(v128.load(x + off + 16));
    v128.store(y + off, a);
    v128.store(y + off + 16, b);
  }
  for (; i < n4; i += 4) {
    const off = <usize>i << 2;
    v128.store(y + off, erf4(v128.load(x + off)));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    store<f32>(y + off, f32x4.extract_lane(erf4(f32x4.splat(load<f32>(x + off))), 0));
  }
}

/** Rows of `width` floats: y = gelu(x + bias[j]); bias 0 means none. y may be x. */
export function geluF32(x: usize, bias: usize, y: usize, rows: i32, width: i32): void {
  const rowBytes = <usize>width << 2;
  for (let row = 0; row < rows; row++) geluRow(x + <usize>row * rowBytes, bias, y + <usize>row * rowBytes, width);
}

/**
 * One row: y[j] = gelu(x[j] + bias[j]) (bias 0: none). Four vectors per step: each gelu4 is one
 * long chain of dependent operations, whose latency, not the memory, sets the pace; four chains in
 * flight ran clearly faster than two, and eight spilled registers and ran slower than four.
 */
// @ts-ignore: decorator
@inline
function geluRow(xr: usize, bias: usize, yr: usize, width: i32): void {
  let j = 0;
  const w16 = width & ~15;
  for (; j < w16; j += 16) {
    const off = <usize>j << 2;
    let v0 = v128.load(xr + off);
    let v1 = v128.load(xr + off + 16);
    let v2 = v128.load(xr + off + 32);
    let v3 = v128.load(xr + off + 48);
    if (bias != 0) {
      v0 = f32x4.add(v0, v128.load(bias + off));
      v1 = f32x4.add(v1, v128.load(bias + off + 16));
      v2 = f32x4.add(v2, v128.load(bias + off + 32));
      v3 = f32x4.add(v3, v128.load(bias + off + 48));
    }
    const g0 = gelu4(v0);
    const g1 = gelu4(v1);
    const g2 = gelu4(v2);
    const g3 = gelu4(v3);
    v128.store(yr + off, g0);
    v128.store(yr + off + 16, g1);
    v128.store(yr + off + 32, g2);
    v128.store(yr + off + 48, g3);
  }
  const w8 = width & ~7;
  for (; j < w8; j += 8) {
    const off = <usize>j << 2;
    let v = v128.load(xr + off);
    let u = v128.load(xr + off + 16);
    if (bias != 0) {
      v = f32x4.add(v, v128.load(bias + off));
      u = f32x4.add(u, v128.load(bias + off + 16));
    }
    const gv = gelu4(v);
    const gu = gelu4(u);
    v128.store(yr + off, gv);
    v128.store(yr + off + 16, gu);
  }
  const w4 = width & ~3;
  for (; j < w4; j += 4) {
    const off = <usize>j << 2;
    let v = v128.load(xr + off);
    if (bias != 0) v = f32x4.add(v, v128.load(bias + off));
    v128.store(yr + off, gelu4(v));
  }
  for (; j < width; j++) {
    const off = <usize>j << 2;
    let v = load<f32>(xr + off);
    if (bias != 0) v += load<f32>(bias + off);
    store<f32>(yr + off, f32x4.extract_lane(gelu4(f32x4.splat(v)), 0));
  }
}

/**
 * Softmax over rows of `len` contiguous floats, `stride` floats apart (a GEMM's padded output rows):
 * m = max, e = exp(max(x - m, -87.3)), y = e * (1 / sum e). The sum runs in four lanes (lane k
 * takes the elements j = k mod 4 of the first len & ~3), added as ((l0 + l1) + (l2 + l3)), then
 * the tail in order. y may be x.
 */
export function softmaxRows(x: usize, y: usize, rows: i32, len: i32, stride: i32): void {
  const len4 = len & ~3;
  const rowBytes = <usize>stride << 2;
  const lower = f32x4.splat(EXP_LOWER);
  for (let row = 0; row < rows; row++) {
    const xr = x + <usize>row * rowBytes;
    const yr = y + <usize>row * rowBytes;
    let j = 0;
    // four running maxima, one chain each (max gives the same value in any order)
    let m4 = f32x4.splat(-Infinity);
    let n4 = m4, p4 = m4, q4 = m4;
    const len16 = len & ~15;
    for (; j < len16; j += 16) {
      const off = <usize>j << 2;
      m4 = f32x4.max(m4, v128.load(xr + off));
      n4 = f32x4.max(n4, v128.load(xr + off + 16));
      p4 = f32x4.max(p4, v128.load(xr + off + 32));
      q4 = f32x4.max(q4, v128.load(xr + off + 48));
    }
    m4 = f32x4.max(f32x4.max(m4, n4), f32x4.max(p4, q4));
    for (; j < len4; j += 4) m4 = f32x4.max(m4, v128.load(xr + (<usize>j << 2)));
    let m = max(max(f32x4.extract_lane(m4, 0), f32x4.extract_lane(m4, 1)), max(f32x4.extract_lane(m4, 2), f32x4.extract_lane(m4, 3)));
    for (; j < len; j++) m = max(m, load<f32>(xr + (<usize>j << 2)));
    const mv = f32x4.splat(m);
    let acc = f32x4.splat(0);
    j = 0;
    // four vectors per step, then two (their exps overlap), added to the one accumulator in order
    for (; j < len16; j += 16) {
      const off = <usize>j << 2;
      const e0 = exp4(f32x4.max(f32x4.sub(v128.load(xr + off), mv), lower));
      const e1 = exp4(f32x4.max(f32x4.sub(v128.load(xr + off + 16), mv), lower));
      const e2 = exp4(f32x4.max(f32x4.sub(v128.load(xr + off + 32), mv), lower));
      const e3 = exp4(f32x4.max(f32x4.sub(v128.load(xr + off + 48), mv), lower));
      v128.store(yr + off, e0);
      v128.store(yr + off + 16, e1);
      v128.store(yr + off + 32, e2);
      v128.store(yr + off + 48, e3);
      acc = f32x4.add(f32x4.add(f32x4.add(f32x4.add(acc, e0), e1), e2), e3);
    }
    const len8 = len & ~7;
    for (; j < len8; j += 8) {
      const off = <usize>j << 2;
      const e = exp4(f32x4.max(f32x4.sub(v128.load(xr + off), mv), lower));
      const f = exp4(f32x4.max(f32x4.sub(v128.load(xr + off + 16), mv), lower));
      v128.store(yr + off, e);
      v128.store(yr + off + 16, f);
      acc = f32x4.add(f32x4.add(acc, e), f);
    }
    for (; j < len4; j += 4) {
      const off = <usize>j << 2;
      const e = exp4(f32x4.max(f32x4.sub(v128.load(xr + off), mv), lower));
      v128.store(yr + off, e);
      acc = f32x4.add(acc, e);
    }
    let sum = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
    for (; j < len; j++) {
      const off = <usize>j << 2;
      const e = f32x4.extract_lane(exp4(f32x4.max(f32x4.splat(load<f32>(xr + off) - m), lower)), 0);
      store<f32>(yr + off, e);
      sum += e;
    }
    const inv = f32x4.splat(<f32>1.0 / sum);
    j = 0;
    for (; j < len4; j += 4) {
      const off = <usize>j << 2;
      v128.store(yr + off, f32x4.mul(v128.load(yr + off), inv));
    }
    const invs = <f32>1.0 / sum;
    for (; j < len; j++) {
      const off = <usize>j << 2;
      store<f32>(yr + off, load<f32>(yr + off) * invs);
    }
  }
}
