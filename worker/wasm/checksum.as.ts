// The stripe loop of XXH32 (seed-independent part; worker/model-loading/xxh32.ts has the whole
// algorithm in JavaScript): the four 32-bit accumulators are the four lanes of one i32x4, and each
// 16-byte stripe feeds word i to lane i, acc = rotl(acc + word * PRIME2, 13) * PRIME1. The lanes
// live at `state` (16 bytes) between calls, so a long input is folded a staged slice at a time.

// @ts-nocheck: AssemblyScript source (types such as usize and v128 are AssemblyScript builtins).

export function xxh32Stripes(state: usize, src: usize, bytes: usize): void {
  const prime1 = i32x4.splat(<i32>0x9e3779b1);
  const prime2 = i32x4.splat(<i32>0x85ebca77);
  let acc = v128.load(state);
  const end = src + (bytes & ~(<usize>15));
  for (let p = src; p < end; p += 16) {
    acc = i32x4.add(acc, i32x4.mul(v128.load(p), prime2));
    acc = v128.or(i32x4.shl(acc, 13), i32x4.shr_u(acc, 19));
    acc = i32x4.mul(acc, prime1);
  }
  v128.store(state, acc);
}
