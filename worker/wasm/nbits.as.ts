// MatMulNBits (com.microsoft) with 4-bit weights that stay packed: two values per byte, low nibble
// first, in blocks of `blockSize` along K with one float32 scale and an optional zero point each
// (packed 4-bit, or float32 when zpFloat; 8 without). Per output column j the K weights are
// dequantized into scratch (16 at a time, SIMD),
//   w[i] = f32(f32(q - zp) * scale)
// then every row of A takes its dot product with them: four f32 lanes over i < K & ~3, summed
// ((l0 + l1) + l2) + l3, then the tail, then the bias, every operation in f32. Columns go four at
// a time (four independent sums per row) without changing any sum's order. The JavaScript kernel
// (worker/runtime/kernels/contrib/matmul-nbits.ts) performs the same operations in the same
// order, so both give the same bits.

// @ts-nocheck: AssemblyScript source (types such as f32, usize, v128 are AssemblyScript builtins).

/** Dequantizes column j's blocks into w (kBlocks * blockSize floats: the last block in full). */
function dequantizeColumn(j: i32, b: usize, scales: usize, zp: usize, zpFloat: i32, blockSize: i32, kBlocks: i32, w: usize): void {
  const blob = <usize>(blockSize >> 1);
  const zpRow = <usize>((kBlocks + 1) >> 1);
  const low = i8x16.splat(15);
  for (let kb = 0; kb < kBlocks; kb++) {
    const block = <usize>(j * kBlocks + kb);
    const scale = f32x4.splat(load<f32>(scales + (block << 2)));
    let z: f32 = 8;
    if (zp != 0) {
      if (zpFloat != 0) {
        z = load<f32>(zp + (block << 2));
      } else {
        const packed = <i32>load<u8>(zp + <usize>j * zpRow + <usize>(kb >> 1));
        z = <f32>((kb & 1) != 0 ? packed >> 4 : packed & 15);
      }
    }
    const zv = f32x4.splat(z);
    const src = b + block * blob;
    let dst = w + (<usize>(kb * blockSize) << 2);
    for (let t: usize = 0; t < blob; t += 8) {
      const bytes = v128.load64_zero(src + t);
      const lo = v128.and(bytes, low);
      const hi = i8x16.shr_u(bytes, 4);
      // byte 0's low nibble, its high nibble, byte 1's low nibble, ...: 16 values
      const q = i8x16.shuffle(lo, hi, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
      const q16a = i16x8.extend_low_i8x16_u(q);
      const q16b = i16x8.extend_high_i8x16_u(q);
      v128.store(dst, f32x4.mul(f32x4.sub(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(q16a)), zv), scale));
      v128.store(dst + 16, f32x4.mul(f32x4.sub(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(q16a)), zv), scale));
      v128.store(dst + 32, f32x4.mul(f32x4.sub(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(q16b)), zv), scale));
      v128.store(dst + 48, f32x4.mul(f32x4.sub(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(q16b)), zv), scale));
      dst += 64;
    }
  }
}

/** ((l0 + l1) + l2) + l3 of a lane sum, in f32. */
@inline
function laneSum(acc: v128): f32 {
  let s: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1);
  s = s + f32x4.extract_lane(acc, 2);
  return s + f32x4.extract_lane(acc, 3);
}

/** The tail (i from k4 to k) and the bias added to a lane sum, in f32. */
@inline
function finish(s: f32, ar: usize, w: usize, k4: i32, k: i32, bias: usize, j: i32): f32 {
  for (let i = k4; i < k; i++) {
    const off = <usize>i << 2;
    s = s + load<f32>(ar + off) * load<f32>(w + off);
  }
  if (bias != 0) s = s + load<f32>(bias + (<usize>j << 2));
  return s;
}

/**
 * y (m x n) = a (m x k) times the dequantized weights (n x k) transposed, plus bias (0: none).
 * w is scratch for 4 * kBlocks * blockSize floats.
 */
export function matMulNBits(
  a: usize, m: i32, k: i32,
  b: usize, scales: usize, zp: usize, zpFloat: i32,
  n: i32, blockSize: i32, kBlocks: i32,
  bias: usize, w: usize, y: usize,
): void {
  const k4 = k & ~3;
  const rowBytes = <usize>k * 4;
  const colBytes = <usize>(kBlocks * blockSize) << 2;
  const w1 = w + colBytes;
  const w2 = w1 + colBytes;
  const w3 = w2 + colBytes;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    dequantizeColumn(j, b, scales, zp, zpFloat, blockSize, kBlocks, w);
    dequantizeColumn(j + 1, b, scales, zp, zpFloat, blockSize, kBlocks, w1);
    dequantizeColumn(j + 2, b, scales, zp, zpFloat, blockSize, kBlocks, w2);
    dequantizeColumn(j + 3, b, scales, zp, zpFloat, blockSize, kBlocks, w3);
    for (let r = 0; r < m; r++) {
      const ar = a + <usize>r * rowBytes;
      let acc0 = f32x4.splat(0);
      let acc1 = f32x4.splat(0);
      let acc2 = f32x4.splat(0);
      let acc3 = f32x4.splat(0);
      for (let i = 0; i < k4; i += 4) {
        const off = <usize>i << 2;
        const av = v128.load(ar + off);
        acc0 = f32x4.add(acc0, f32x4.mul(av, v128.load(w + off)));
        acc1 = f32x4.add(acc1, f32x4.mul(av, v128.load(w1 + off)));
        acc2 = f32x4.add(acc2, f32x4.mul(av, v128.load(w2 + off)));
        acc3 = f32x4.add(acc3, f32x4.mul(av, v128.load(w3 + off)));
      }
      const out = y + (<usize>(r * n + j) << 2);
      store<f32>(out, finish(laneSum(acc0), ar, w, k4, k, bias, j));
      store<f32>(out + 4, finish(laneSum(acc1), ar, w1, k4, k, bias, j + 1));
      store<f32>(out + 8, finish(laneSum(acc2), ar, w2, k4, k, bias, j + 2));
      store<f32>(out + 12, finish(laneSum(acc3), ar, w3, k4, k, bias, j + 3));
    }
  }
  for (; j < n; j++) {
    dequantizeColumn(j, b, scales, zp, zpFloat, blockSize, kBlocks, w);
    for (let r = 0; r < m; r++) {
      const ar = a + <usize>r * rowBytes;
      let acc = f32x4.splat(0);
      for (let i = 0; i < k4; i += 4) {
        const off = <usize>i << 2;
        acc = f32x4.add(acc, f32x4.mul(v128.load(ar + off), v128.load(w + off)));
      }
      store<f32>(y + (<usize>(r * n + j) << 2), finish(laneSum(acc), ar, w, k4, k, bias, j));
    }
  }
}
