// LayerNormalization over float32 rows, statistics in double as the JavaScript kernel computes
// them (sum and sum of squares, var = E[x^2] - mean^2), and each output
//   y = f32((f64(x) - mean) * inv * f64(scale) + f64(bias))
// with the same operations in the same order as the JavaScript loop.

// @ts-nocheck: AssemblyScript source (types such as f32, usize, v128 are AssemblyScript builtins).

/** Rows of `inner` floats at x -> y; `bias` 0 means none. */
export function layerNorm(x: usize, y: usize, scale: usize, bias: usize, outer: i32, inner: i32, epsilon: f64): void {
  const inner4 = inner & ~3;
  const rowBytes = <usize>inner * 4;
  const invInner = 1.0 / <f64>inner;
  for (let r = 0; r < outer; r++) {
    const xr = x + <usize>r * rowBytes;
    const yr = y + <usize>r * rowBytes;
    let sLo = f64x2.splat(0);
    let sHi = f64x2.splat(0);
    let qLo = f64x2.splat(0);
    let qHi = f64x2.splat(0);
    let j = 0;
    for (; j < inner4; j += 4) {
      const v = v128.load(xr + <usize>j * 4);
      const lo = f64x2.promote_low_f32x4(v);
      const hi = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
      sLo = f64x2.add(sLo, lo);
      sHi = f64x2.add(sHi, hi);
      qLo = f64x2.add(qLo, f64x2.mul(lo, lo));
      qHi = f64x2.add(qHi, f64x2.mul(hi, hi));
    }
    const s2 = f64x2.add(sLo, sHi);
    const q2 = f64x2.add(qLo, qHi);
    let s = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1);
    let q = f64x2.extract_lane(q2, 0) + f64x2.extract_lane(q2, 1);
    for (; j < inner; j++) {
      const v = <f64>load<f32>(xr + <usize>j * 4);
      s += v;
      q += v * v;
    }
    const mean = s * invInner;
    const variance = max(0.0, q * invInner - mean * mean);
    const inv = 1.0 / sqrt(variance + epsilon);
    const m2 = f64x2.splat(mean);
    const i2 = f64x2.splat(inv);
    j = 0;
    for (; j < inner4; j += 4) {
      const off = <usize>j * 4;
      const v = v128.load(xr + off);
      const sv = v128.load(scale + off);
      let lo = f64x2.mul(f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(v), m2), i2), f64x2.promote_low_f32x4(sv));
      let hi = f64x2.mul(f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), m2), i2), f64x2.promote_low_f32x4(i32x4.shuffle(sv, sv, 2, 3, 0, 1)));
      if (bias != 0) {
        const bv = v128.load(bias + off);
        lo = f64x2.add(lo, f64x2.promote_low_f32x4(bv));
        hi = f64x2.add(hi, f64x2.promote_low_f32x4(i32x4.shuffle(bv, bv, 2, 3, 0, 1)));
      }
      v128.store(yr + off, i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
    }
    for (; j < inner; j++) {
      const off = <usize>j * 4;
      let v = (<f64>load<f32>(xr + off) - mean) * inv * <f64>load<f32>(scale + off);
      if (bias != 0) v += <f64>load<f32>(bias + off);
      store<f32>(yr + off, <f32>v);
    }
  }
}
