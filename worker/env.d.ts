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
