// The streaming read rate of WebAssembly on this machine: f32x4 sums over a buffer, eight
// independent accumulators and eight 16-byte loads per iteration, nothing stored. A kernel that
// must read every byte of a buffer once per call (a batch-1 GEMV reads all its weights) cannot
// take less time than this loop over the same bytes. Built at bench time by
// bench/lib/read-bandwidth.ts (not part of the shipped kernels).

// @ts-nocheck: AssemblyScript source (f32, usize and v128 are AssemblyScript builtins).

/** Sums the `bytes` bytes (a multiple of 128) at `p` as float32 lanes; returns one lane of the sum. */
export function sumFloats(p: usize, bytes: usize): f32 {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
  const end = p + bytes;
  while (p < end) {
    c0 = f32x4.add(c0, v128.load(p)); c1 = f32x4.add(c1, v128.load(p, 16));
    c2 = f32x4.add(c2, v128.load(p, 32)); c3 = f32x4.add(c3, v128.load(p, 48));
    c4 = f32x4.add(c4, v128.load(p, 64)); c5 = f32x4.add(c5, v128.load(p, 80));
    c6 = f32x4.add(c6, v128.load(p, 96)); c7 = f32x4.add(c7, v128.load(p, 112));
    p += 128;
  }
  const s = f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7)));
  return f32x4.extract_lane(s, 0);
}
