// MaxPool 2x2 (no padding or dilation, every window inside the image), as the JavaScript kernel
// computes it: best = x00, then x01, x10, x11 each replace it only when greater (`best < v`), which
// is exactly f32x4.pmax and keeps the JavaScript path's NaN and signed-zero results. Branch-free.

// @ts-nocheck: AssemblyScript source (types such as f32, usize, v128 are AssemblyScript builtins).

/**
 * `channels` planes of H x W floats at `x` pooled into planes of OH x OW at `y`, stride (SH, SW).
 * Stride 2 across runs four windows per step (eight floats of each of the two rows).
 */
export function maxPool2x2(x: usize, y: usize, channels: i32, H: i32, W: i32, OH: i32, OW: i32, SH: i32, SW: i32): void {
  const rowBytes = <usize>W * 4;
  const vecs = SW == 2 ? OW & ~3 : 0;
  let out = y;
  for (let ch = 0; ch < channels; ch++) {
    const plane = x + <usize>ch * <usize>H * rowBytes;
    for (let oy = 0; oy < OH; oy++) {
      const r0 = plane + <usize>(oy * SH) * rowBytes;
      const r1 = r0 + rowBytes;
      let ox = 0;
      for (; ox < vecs; ox += 4) {
        const p = <usize>(ox * 2) * 4;
        const a0 = v128.load(r0 + p);
        const a1 = v128.load(r0 + p, 16);
        const b0 = v128.load(r1 + p);
        const b1 = v128.load(r1 + p, 16);
        let best = i32x4.shuffle(a0, a1, 0, 2, 4, 6);
        best = f32x4.pmax(best, i32x4.shuffle(a0, a1, 1, 3, 5, 7));
        best = f32x4.pmax(best, i32x4.shuffle(b0, b1, 0, 2, 4, 6));
        best = f32x4.pmax(best, i32x4.shuffle(b0, b1, 1, 3, 5, 7));
        v128.store(out, best);
        out += 16;
      }
      for (; ox < OW; ox++) {
        const p = <usize>(ox * SW) * 4;
        let best = load<f32>(r0 + p);
        let v = load<f32>(r0 + p, 4);
        best = select<f32>(v, best, best < v);
        v = load<f32>(r1 + p);
        best = select<f32>(v, best, best < v);
        v = load<f32>(r1 + p, 4);
        best = select<f32>(v, best, best < v);
        store<f32>(out, best);
        out += 4;
      }
    }
  }
}
