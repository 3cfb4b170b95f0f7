/**
 * XXH32 (seed 0), the check of weights shard bodies: the reference vectors of the xxHash project,
 * and the WebAssembly stripe loop (worker/wasm/checksum.as.ts) giving the JavaScript one's value for
 * any length and byte offset, tails shorter than a stripe included.
 */
import fc from 'fast-check';
import { installWasmKernels } from '../../lib/wasm-module';
import { useWasmKernels, wasmKernels } from '../../worker/runtime/wasm';
import { xxh32, xxh32Hex } from '../../worker/model-loading/xxh32';
import { fastXxh32, wasmStripes } from '../../worker/model-loading/xxh32-wasm';

const text = (s: string) => new TextEncoder().encode(s);

afterAll(() => useWasmKernels(null));

it('gives the reference values', () => {
  expect(xxh32Hex(xxh32(text('')))).toBe('02cc5d05');
  expect(xxh32Hex(xxh32(text('a')))).toBe('550d7456');
  expect(xxh32Hex(xxh32(text('abc')))).toBe('32d153ff');
  expect(xxh32Hex(xxh32(text('Nobody inspects the spammish repetition')))).toBe('e2293b2f');
  expect(xxh32Hex(xxh32(text('abcdefghijklmnopqrstuvwxyz')))).toBe('63a14d5f');
});

it('reads misaligned bytes as aligned ones', () => {
  const bytes = text('Nobody inspects the spammish repetition');
  const holder = new Uint8Array(bytes.length + 3);
  holder.set(bytes, 3);
  expect(xxh32(holder.subarray(3))).toBe(xxh32(bytes));
});

it('runs in JavaScript when the kernels are not installed', () => {
  useWasmKernels(null);
  const bytes = text('abcdefghijklmnopqrstuvwxyz');
  expect(fastXxh32(bytes)).toBe(xxh32(bytes));
});

it('gives the same value in WebAssembly as in JavaScript for any length and offset', () => {
  installWasmKernels();
  const kernels = wasmKernels()!;
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), fc.nat(15), (bytes, offset) => {
      const holder = new Uint8Array(bytes.length + offset);
      holder.set(bytes, offset);
      const view = holder.subarray(offset);
      expect(xxh32(view, wasmStripes(kernels))).toBe(xxh32(view));
      expect(fastXxh32(view)).toBe(xxh32(bytes));
    }),
    { numRuns: 300 },
  );
  // Longer than the staging slice: the lanes carry over between slices.
  const long = new Uint8Array(600_013);
  for (let i = 0; i < long.length; i++) long[i] = (i * 2654435761) >>> 24;
  expect(fastXxh32(long)).toBe(xxh32(long));
  expect(fastXxh32(long.subarray(5))).toBe(xxh32(long.subarray(5)));
});
