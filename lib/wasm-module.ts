/**
 * Node-side loading of the WebAssembly kernels: compiles worker/wasm/kernels.wasm from the file.
 * (A Worker cannot compile bytes at run time; it imports the same file as a precompiled module.)
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { useWasmKernels } from '../worker/runtime/wasm';

/** The kernels file shipped with the package (found from the sources and from the dist/ build). */
export const KERNELS_WASM_PATH = [join(__dirname, '..', 'worker', 'wasm', 'kernels.wasm'), join(__dirname, '..', '..', 'worker', 'wasm', 'kernels.wasm')].find(
  (p) => existsSync(p),
) ?? join(__dirname, '..', 'worker', 'wasm', 'kernels.wasm');

const WasmGlobal = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => WebAssembly.Module } }).WebAssembly;
let compiled: WebAssembly.Module | undefined;

/** The compiled kernels module (compiled once per process). */
export function loadKernelsModule(path: string = KERNELS_WASM_PATH): WebAssembly.Module {
  if (path !== KERNELS_WASM_PATH) return new WasmGlobal.Module(readFileSync(path));
  if (!compiled) compiled = new WasmGlobal.Module(readFileSync(path));
  return compiled;
}

/** Compiles (once) and installs the kernels into the runtime: the Node counterpart of the Worker entry's import. */
export function installWasmKernels(): WebAssembly.Module {
  const module = loadKernelsModule();
  useWasmKernels(module);
  return module;
}
