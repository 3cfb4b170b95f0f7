// A strided view of 4-byte elements copied densely (row-major) into dst: the WebAssembly path of
// Transpose (worker/runtime/kernels/tensor/transpose.ts) for float32. The view has rank 4 (leading
// axes of size 1 pad a smaller one), shapes s0..s3 and element strides t0..t3. Elements move as
// 32-bit integers, so every bit pattern (NaN payloads included) arrives unchanged.

// @ts-nocheck: AssemblyScript source (types such as usize and v128 are AssemblyScript builtins).

export function stridedCopy32(src: usize, dst: usize, s0: i32, s1: i32, s2: i32, s3: i32, t0: i32, t1: i32, t2: i32, t3: i32): void {
  let out = dst;
  const row4 = s3 & ~3;
  const step = <usize>t3 << 2;
  for (let a = 0; a < s0; a++) {
    for (let b = 0; b < s1; b++) {
      for (let c = 0; c < s2; c++) {
        let p = src + ((<usize>a * <usize>t0 + <usize>b * <usize>t1 + <usize>c * <usize>t2) << 2);
        let j = 0;
        if (t3 == 1) {
          for (; j < row4; j += 4) {
            v128.store(out, v128.load(p));
            out += 16;
            p += 16;
          }
        }
        for (; j < s3; j++) {
          store<i32>(out, load<i32>(p));
          out += 4;
          p += step;
        }
      }
    }
  }
}
