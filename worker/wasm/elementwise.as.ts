// Add, Sub, Mul and Div of two float32 arrays of the same length: the WebAssembly path of the
// broadcasting arithmetic (worker/runtime/kernels/math/binary-wasm.ts) when neither side broadcasts.
// op: 0 Add, 1 Sub, 2 Mul, 3 Div (the Arith codes of binary-loop.ts). y may be a or b.

// @ts-nocheck: AssemblyScript source (types such as usize and v128 are AssemblyScript builtins).

// @ts-ignore: decorator
@inline
function apply4(op: i32, x: v128, z: v128): v128 {
  if (op == 0) return f32x4.add(x, z);
  if (op == 1) return f32x4.sub(x, z);
  if (op == 2) return f32x4.mul(x, z);
  return f32x4.div(x, z);
}

// @ts-ignore: decorator
@inline
function apply1(op: i32, x: f32, z: f32): f32 {
  if (op == 0) return x + z;
  if (op == 1) return x - z;
  if (op == 2) return x * z;
  return x / z;
}

export function arithF32(op: i32, a: usize, b: usize, y: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  // one loop per op, so that the op test stays outside the loop
  if (op == 0) for (; i < n4; i += 4) { const o = <usize>i << 2; v128.store(y + o, apply4(0, v128.load(a + o), v128.load(b + o))); }
  else if (op == 1) for (; i < n4; i += 4) { const o = <usize>i << 2; v128.store(y + o, apply4(1, v128.load(a + o), v128.load(b + o))); }
  else if (op == 2) for (; i < n4; i += 4) { const o = <usize>i << 2; v128.store(y + o, apply4(2, v128.load(a + o), v128.load(b + o))); }
  else for (; i < n4; i += 4) { const o = <usize>i << 2; v128.store(y + o, apply4(3, v128.load(a + o), v128.load(b + o))); }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, apply1(op, load<f32>(a + o), load<f32>(b + o)));
  }
}
