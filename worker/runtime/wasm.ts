/**
 * The WebAssembly SIMD kernels (worker/wasm/kernels.wasm, built from kernels.as.ts and the
 * family files it re-exports) and the memory they work in.
 *
 * Workers refuse to compile WebAssembly from bytes at run time, so the module always arrives
 * compiled: the Worker imports kernels.wasm (an `application/wasm` module), Node code compiles the
 * file (lib/wasm-module.ts). `useWasmKernels(module)` instantiates it; until then, or after
 * `useWasmKernels(null)`, the linalg and conv kernels run their JavaScript fallbacks.
 *
 * Linear memory layout, managed here rather than by an allocator inside the module:
 *   [0, 64 KiB)          reserved for the module's own static data
 *   [64 KiB, +256 KiB)   staging: weights are copied in here a slice at a time and packed from
 *                        here, so that packing touches fresh memory only where the packed copy goes
 *                        (and weights shards are checksummed from here: xxh32-wasm.ts)
 *   [.., top)            persistent blocks: weights packed once per node plan (PackedWeights,
 *                        TreeLayouts, NBitsWasmWeights); a plan remembers the generation its
 *                        blocks were made in (see `persistentGeneration`)
 *   [top, ...)           scratch for the call in progress, reset by every `beginCall`
 * Typed-array views are re-derived whenever the memory has grown (a grow detaches the old buffer).
 */

/** The parts of the WebAssembly API used here (typed locally: Node's and Workers' typings differ). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Instance: new (module: WebAssembly.Module, imports: object) => { readonly exports: object };
  Memory: abstract new (...args: never[]) => WasmMemory;
}
const WasmGlobal = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export interface WasmKernelExports {
  readonly memory: WasmMemory;
  packB(src: number, ldb: number, k: number, n: number, trans: number, dst: number, panelK: number): void;
  gemm(
    m: number, n: number, k: number,
    a: number, lda: number,
    bp: number,
    c: number, ldc: number,
    alpha: number, bias: number, accumulate: number, lo: number, hi: number, rowBias: number,
  ): void;
  /** B (or a slice of it) into the one-row layout (worker/wasm/gemv.as.ts); see packGemv there. */
  packGemv(src: number, ldb: number, trans: number, rows: number, cols: number, k0: number, j0: number, dst: number, k: number, n: number): void;
  gemv(n: number, k: number, a: number, bp: number, c: number, alpha: number, bias: number, accumulate: number, lo: number, hi: number): void;
  convGroup(
    x: number, imageStride: number, images: number, c: number, h: number, w: number,
    kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, dh: number, dw: number,
    oh: number, ow: number, filters: number, m: number, offs: number, panel: number, ap: number,
    y: number, outImageStride: number, rowBias: number, lo: number, hi: number, inPlace: number,
    pool4: number, block: number,
  ): void;
  padPlanes(src: number, dst: number, planes: number, h: number, w: number, pt: number, pl: number, hp: number, wp: number): void;
  maxPool2x2(x: number, y: number, channels: number, h: number, w: number, oh: number, ow: number, sh: number, sw: number): void;
  layerNorm(x: number, y: number, scale: number, bias: number, outer: number, inner: number, epsilon: number): void;
  treeSums(
    nodes: number, targets: number, roots: number, depths: number, trees: number,
    x: number, rowBytes: number, n: number, nTargets: number, score: number, has: number, double: number, multi: number,
  ): void;
  matMulNBits(
    a: number, m: number, k: number, b: number, scales: number, zp: number, zpFloat: number,
    n: number, blockSize: number, kBlocks: number, bias: number, w: number, y: number,
  ): void;
  erfF32(x: number, y: number, n: number): void;
  geluF32(x: number, bias: number, y: number, rows: number, width: number): void;
  softmaxRows(x: number, y: number, rows: number, len: number, stride: number): void;
  stridedCopy32(src: number, dst: number, s0: number, s1: number, s2: number, s3: number, t0: number, t1: number, t2: number, t3: number): void;
  arithF32(op: number, a: number, b: number, y: number, n: number): void;
  /** XXH32's stripe loop over `bytes` (whole stripes) at `src`, the four lanes at `state` (worker/model-loading/xxh32-wasm.ts). */
  xxh32Stripes(state: number, src: number, bytes: number): void;
}

const RESERVED_BYTES = 64 * 1024;
const PAGE_BYTES = 64 * 1024;
/** Size of the staging area: a slice of weights stays in L2 while it is packed. */
export const STAGING_FLOATS = 64 * 1024;
const STAGING_BYTES = STAGING_FLOATS * 4;
const PERSISTENT_BASE = RESERVED_BYTES + STAGING_BYTES;
/** Views of wasm memory remembered by WasmKernels.view: more than one run's distinct copies. */
const VIEW_CACHE_SIZE = 64;
/**
 * Persistent blocks are bounded by `persistentLimitBytes`; past it a request is refused (the
 * caller packs per call instead). Blocks are never freed one by one, but a holder that is garbage
 * collected (a compiler probe's session, a replaced model) marks its generation as holding dead
 * blocks, and the next request over the bound then starts a new generation: every block is given
 * back and the live holders make theirs again on next use. Mutable so that tests can exercise the
 * overflow path with small weights.
 */
export const wasmTuning = { persistentLimitBytes: 64 * 1024 * 1024 };

export class WasmKernels {
  private top = PERSISTENT_BASE;
  private scratchTop = PERSISTENT_BASE;
  private generation: object = {};
  /** whether a holder of a block in the current generation has been garbage collected */
  private holdsDeadBlocks = false;
  /** tells the instance when a holder is collected (absent where the platform lacks it) */
  private readonly holders =
    typeof FinalizationRegistry === 'function'
      ? new FinalizationRegistry<object>((generation) => this.holderCollected(generation))
      : null;
  private heap: Float32Array;
  private heapU8: Uint8Array | null = null;
  private heapF64: Float64Array | null = null;
  /** views handed out by `view`, over `viewsOf` (filled from the front, replaced round-robin) */
  private readonly views: Array<Float32Array | null> = new Array<Float32Array | null>(VIEW_CACHE_SIZE).fill(null);
  private viewsOf: ArrayBufferLike | null = null;
  private nextView = 0;
  /** Byte address of the staging area (STAGING_FLOATS floats, reused by every pack). */
  readonly staging = RESERVED_BYTES;

  constructor(readonly exports: WasmKernelExports) {
    this.heap = new Float32Array(exports.memory.buffer);
    this.ensure(PERSISTENT_BASE);
  }

  // A grow detaches the memory's old buffer, which leaves every view of it empty: the getters below
  // test a view's own length (a plain field read) rather than fetch `memory.buffer`, an API call
  // that costs more than a small kernel's whole copy-in.

  /** A float32 view of the whole memory, valid until the next allocation. */
  get f32(): Float32Array {
    if (this.heap.length === 0) this.heap = new Float32Array(this.exports.memory.buffer);
    return this.heap;
  }

  /** A byte view of the whole memory, valid until the next allocation. */
  get u8(): Uint8Array {
    if (this.heapU8 === null || this.heapU8.length === 0) this.heapU8 = new Uint8Array(this.exports.memory.buffer);
    return this.heapU8;
  }

  /** A float64 view of the whole memory (index = byte address / 8), valid until the next allocation. */
  get f64(): Float64Array {
    if (this.heapF64 === null || this.heapF64.length === 0) this.heapF64 = new Float64Array(this.exports.memory.buffer);
    return this.heapF64;
  }

  /**
   * A Float32Array over the `floats` floats at byte address `ptr`, for copying results out with
   * `set`. Views are remembered (a few dozen, by address and length) and re-made only after the
   * memory grows, so that steady-state calls, which reuse the same scratch addresses, make none.
   * Valid until the next allocation, like `f32`.
   */
  view(ptr: number, floats: number): Float32Array {
    const heap = this.f32;
    if (this.viewsOf !== heap.buffer) {
      this.viewsOf = heap.buffer;
      this.views.fill(null);
      this.nextView = 0;
    }
    const views = this.views;
    for (let i = 0; i < views.length; i++) {
      const v = views[i];
      if (v === null) break;
      if (v.byteOffset === ptr && v.length === floats) return v;
    }
    const fresh = heap.subarray(ptr >> 2, (ptr >> 2) + floats);
    views[this.nextView] = fresh;
    this.nextView = (this.nextView + 1) % views.length;
    return fresh;
  }

  /**
   * The current generation of persistent blocks: a holder keeps the value it allocated under and
   * trusts its blocks only while this is still the same object (which also tells instances apart).
   */
  get persistentGeneration(): object {
    return this.generation;
  }

  /**
   * A holder of blocks of `generation` was garbage collected (called by the finalization registry):
   * the next request over the budget may start a new generation.
   */
  holderCollected(generation: object): void {
    if (generation === this.generation) this.holdsDeadBlocks = true;
  }

  /** Bytes of persistent blocks in the current generation. */
  get persistentBytes(): number {
    return this.top - PERSISTENT_BASE;
  }

  /**
   * Reserves `floats` float32s for `holder` (the plan-owned record that remembers the block) until
   * the next generation; null past the budget. May start a new generation (see `wasmTuning`), so a
   * holder allocates all its blocks in one call and reads `persistentGeneration` after it. Scratch
   * handed out before is given back.
   */
  allocPersistent(floats: number, holder: object): number | null {
    const bytes = align16(floats * 4);
    if (this.top + bytes - PERSISTENT_BASE > wasmTuning.persistentLimitBytes) {
      if (!this.holdsDeadBlocks || bytes > wasmTuning.persistentLimitBytes) return null;
      this.top = PERSISTENT_BASE;
      this.generation = {};
      this.holdsDeadBlocks = false;
    }
    this.holders?.register(holder, this.generation);
    const ptr = this.top;
    this.ensure(ptr + bytes);
    this.top += bytes;
    this.scratchTop = this.top;
    return ptr;
  }

  /** Starts a call: every scratch block handed out before is free again. */
  beginCall(): void {
    this.scratchTop = this.top;
  }

  /** Where the next scratch block starts: `releaseScratch` with it gives back every block reserved since. */
  get scratchMark(): number {
    return this.scratchTop;
  }

  /** Gives back the scratch reserved after `mark` (from `scratchMark`), for a call made of steps. */
  releaseScratch(mark: number): void {
    this.scratchTop = mark;
  }

  /** Reserves `floats` float32s (plus 16 readable bytes of slack) until the next `beginCall`. */
  allocScratch(floats: number): number {
    const ptr = this.scratchTop;
    const end = ptr + align16(floats * 4) + 16;
    this.ensure(end);
    this.scratchTop = end;
    return ptr;
  }

  private ensure(byteEnd: number): void {
    const have = this.f32.byteLength;
    if (byteEnd <= have) return;
    const pages = Math.ceil((byteEnd - have) / PAGE_BYTES);
    // Grow generously so that steady-state calls never grow (and never re-derive views).
    this.exports.memory.grow(Math.max(pages, Math.ceil(have / PAGE_BYTES / 4)));
  }
}

function align16(bytes: number): number {
  return (bytes + 15) & ~15;
}

/** The functions the kernels call, typed here (WasmKernelExports) or by their family (conv/conv-exports.ts). */
const REQUIRED_EXPORTS = [
  'gemm', 'packB', 'gemv', 'packGemv', 'convGroup', 'padPlanes', 'maxPool2x2', 'layerNorm', 'treeSums', 'matMulNBits',
  'erfF32', 'geluF32', 'softmaxRows', 'stridedCopy32', 'arithF32', 'xxh32Stripes',
  'depthwiseConv', 'depthwiseConv3x3', 'maxPoolPlanes',
] as const;

let active: WasmKernels | null = null;
let activeModule: WebAssembly.Module | null = null;

/**
 * Installs the compiled kernels module (worker/wasm/kernels.wasm); `null` switches back to the
 * JavaScript kernels. Instantiation uses `new WebAssembly.Instance`, which Workers allow for a
 * module that was uploaded precompiled.
 */
export function useWasmKernels(module: WebAssembly.Module | null): void {
  activeModule = module;
  if (module === null) {
    active = null;
    return;
  }
  const instance = new WasmGlobal.Instance(module, {});
  const exports = instance.exports as unknown as WasmKernelExports;
  const missing = REQUIRED_EXPORTS.filter((name) => typeof (exports as unknown as Record<string, unknown>)[name] !== 'function');
  if (!(exports.memory instanceof WasmGlobal.Memory) || missing.length > 0) {
    throw new Error(
      `useWasmKernels: the module is not this version's worker/wasm/kernels.wasm (missing ${exports.memory instanceof WasmGlobal.Memory ? '' : 'memory, '}${missing.join(', ')}); rebuild it with \`npm run build:wasm\``,
    );
  }
  active = new WasmKernels(exports);
}

/** The installed kernels, or null when the JavaScript fallbacks should run. */
export function wasmKernels(): WasmKernels | null {
  return active;
}

/**
 * Runs `fn` (synchronous) with a fresh instance of the installed kernels, then puts the installed
 * instance back. For work whose sessions are thrown away at once (the compiler folding and probing a
 * model): what they pack goes with the private instance instead of filling the installed one's
 * persistent blocks, which the sessions that stay would then find full.
 */
export function withPrivateWasmKernels<T>(fn: () => T): T {
  const saved = active;
  const module = activeModule;
  if (saved === null || module === null) return fn();
  useWasmKernels(module);
  try {
    return fn();
  } finally {
    active = saved;
    activeModule = module;
  }
}
