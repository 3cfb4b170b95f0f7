/** Module types of the Worker's non-JavaScript modules (uploaded beside the code). */
declare module '*.bin' {
  /** A data module: the compiled model artifact. */
  const bytes: ArrayBuffer;
  export default bytes;
}
declare module '*.wasm' {
  /** A precompiled WebAssembly module (instantiate with `new WebAssembly.Instance`). */
  const module: WebAssembly.Module;
  export default module;
}
declare module '*/model-kernels.js' {
  /** The kernels the model's graph uses (an ES module written at synth time). */
  const kernels: readonly import('./runtime/kernel').AnyKernel[];
  export default kernels;
}
