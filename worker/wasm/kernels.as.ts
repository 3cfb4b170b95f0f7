// The WebAssembly SIMD kernels, compiled ahead of time with AssemblyScript into one module,
// worker/wasm/kernels.wasm (`npm run build:wasm`). This file is the module's entry: it lists every
// export the runtime calls (worker/runtime/wasm.ts, WasmKernelExports); each family lives in its
// own file. Everything works on raw byte addresses into linear memory; the JavaScript side owns the
// memory layout and never calls an allocator here.

// @ts-nocheck: AssemblyScript source.

export { gemm, packB } from './gemm.as';
export { gemv, packGemv } from './gemv.as';
export { convGroup, padPlanes } from './conv.as';
export { depthwiseConv, depthwiseConv3x3 } from './depthwise.as';
export { maxPool2x2, maxPoolPlanes } from './pool.as';
export { layerNorm } from './layer-norm.as';
export { treeSums } from './trees.as';
export { matMulNBits } from './nbits.as';
export { erfF32, geluF32, softmaxRows } from './activations.as';
export { stridedCopy32 } from './strided-copy.as';
export { arithF32 } from './elementwise.as';
export { xxh32Stripes } from './checksum.as';
