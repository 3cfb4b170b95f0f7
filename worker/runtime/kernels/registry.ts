/**
 * Every op the runtime implements, by family. `findKernel` is the only lookup; the compiler uses
 * it to report unsupported nodes at synth time, the session to bind nodes at load.
 */
import type { Kernel } from '../kernel';
import { mathKernels } from './math';
import { mlKernels } from './ml';
import { nnKernels } from './nn';
import { tensorKernels } from './tensor';

export const ML_DOMAIN = 'ai.onnx.ml';

const FAMILIES: ReadonlyArray<readonly Kernel<any>[]> = [mathKernels, tensorKernels, nnKernels, mlKernels];

const byKey = new Map<string, Kernel<any>>();
for (const family of FAMILIES) {
  for (const k of family) {
    const key = keyOf(k.domain ?? '', k.op);
    if (byKey.has(key)) throw new Error(`kernel ${key} is registered twice`);
    byKey.set(key, k);
  }
}

function keyOf(domain: string, op: string): string {
  return `${domain === 'ai.onnx' ? '' : domain}:${op}`;
}

export function findKernel(domain: string, op: string): Kernel<any> | undefined {
  return byKey.get(keyOf(domain, op));
}

/** All supported ops as "domain:Op" keys ('' domain for ai.onnx), sorted. */
export function supportedOps(): string[] {
  return [...byKey.keys()].sort();
}
