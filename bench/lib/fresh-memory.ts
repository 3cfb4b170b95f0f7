/**
 * What memory the process has never touched costs per MB on its first write: the kernel's page
 * faults (zeroing and mapping each 4 KB page), which a VM makes dearer. Every fresh buffer a cold
 * start fills pays it once: a data module or shard body read into memory, an assembled weights
 * blob, the packed copy of the weights in WebAssembly memory.
 */
import { nowMs } from './timing';

/** The WebAssembly global with the Memory constructor (Node's own types declare only the namespace's types). */
const Wasm = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => { grow(pages: number): number; buffer: ArrayBuffer } } }).WebAssembly;
const PAGE = 4096;
const MB = 1024 * 1024;

/** Milliseconds per MB to first-touch freshly grown WebAssembly memory (best of `runs`, 64 MB each). */
export function freshMemoryMsPerMb(runs = 5, megabytes = 64): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const memory = new Wasm.Memory({ initial: 1, maximum: 1 + (megabytes * MB) / 65536 });
    memory.grow((megabytes * MB) / 65536);
    const bytes = new Uint8Array(memory.buffer);
    const started = nowMs();
    for (let i = 65536; i < bytes.length; i += PAGE) bytes[i] = 1;
    best = Math.min(best, (nowMs() - started) / megabytes);
  }
  return best;
}
