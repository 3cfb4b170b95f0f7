// The arithmetic ceiling of 128-bit WebAssembly SIMD on this machine: f32x4 multiply-then-add on
// registers only (no loads), as twelve independent chains c = c * y + x, enough to keep both the
// multiply and the add units busy whatever their latency (each step depends on the last, so the
// compiler can neither hoist nor merge the products). A GEMM kernel cannot beat this rate; its
// distance from it is what loads, packing and loop control cost. Built at bench time by
// bench/lib/simd-ceiling.ts (not part of the shipped kernels).

// @ts-nocheck: AssemblyScript source (f32, i32 and v128 are AssemblyScript builtins).

/** Runs `steps` steps of 12 multiply-adds on 4 lanes (96 floating-point operations each). */
export function multiplyAdd(steps: i32, seed: f32): f32 {
  const x = f32x4.splat(seed);
  const y = f32x4.splat(0.999);
  let c0 = f32x4.splat(0), c1 = f32x4.splat(1), c2 = f32x4.splat(2), c3 = f32x4.splat(3);
  let c4 = f32x4.splat(4), c5 = f32x4.splat(5), c6 = f32x4.splat(6), c7 = f32x4.splat(7);
  let c8 = f32x4.splat(8), c9 = f32x4.splat(9), c10 = f32x4.splat(10), c11 = f32x4.splat(11);
  for (let i = 0; i < steps; i++) {
    c0 = f32x4.add(f32x4.mul(c0, y), x); c1 = f32x4.add(f32x4.mul(c1, y), x);
    c2 = f32x4.add(f32x4.mul(c2, y), x); c3 = f32x4.add(f32x4.mul(c3, y), x);
    c4 = f32x4.add(f32x4.mul(c4, y), x); c5 = f32x4.add(f32x4.mul(c5, y), x);
    c6 = f32x4.add(f32x4.mul(c6, y), x); c7 = f32x4.add(f32x4.mul(c7, y), x);
    c8 = f32x4.add(f32x4.mul(c8, y), x); c9 = f32x4.add(f32x4.mul(c9, y), x);
    c10 = f32x4.add(f32x4.mul(c10, y), x); c11 = f32x4.add(f32x4.mul(c11, y), x);
  }
  const s = f32x4.add(
    f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7))),
    f32x4.add(f32x4.add(c8, c9), f32x4.add(c10, c11)),
  );
  return f32x4.extract_lane(s, 0);
}
