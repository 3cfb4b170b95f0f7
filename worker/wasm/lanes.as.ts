// Vector loads shared by the windowed kernels (depthwise convolution, pooling).

// @ts-nocheck: AssemblyScript source (types such as f32, usize, v128 are AssemblyScript builtins).

/**
 * Four floats `stride` floats apart from `p`: output positions 4 at a time under one kernel tap.
 * Stride 2 reads 8 floats (the 8th may lie one past the row: callers keep 8 readable floats after
 * their input); other strides read exactly the four lanes.
 */
// @ts-ignore: decorator
@inline
export function loadStrided(p: usize, stride: i32): v128 {
  if (stride == 1) return v128.load(p);
  if (stride == 2) return i32x4.shuffle(v128.load(p), v128.load(p, 16), 0, 2, 4, 6);
  const s = <usize>stride * 4;
  let v = v128.load32_zero(p);
  v = v128.load32_lane(p + s, v, 1);
  v = v128.load32_lane(p + 2 * s, v, 2);
  return v128.load32_lane(p + 3 * s, v, 3);
}
