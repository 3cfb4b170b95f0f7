/**
 * A set of kernels looked up by (domain, op). The runtime has every kernel (kernels/registry.ts);
 * a deployed Worker carries only those its model's graph uses (lib/kernel-selection.ts writes the
 * list at synth time), so a session is always given the set it binds nodes from.
 */
import type { AnyKernel } from './kernel';

/** How kernels are looked up: the session needs nothing more. */
export interface KernelLookup {
  find(domain: string, op: string): AnyKernel | undefined;
}

/** "domain:Op", with '' for the default domain (ai.onnx): how ops are named in lists and at synth. */
export function kernelKey(domain: string, op: string): string {
  return `${domain === 'ai.onnx' ? '' : domain}:${op}`;
}

export class KernelSet implements KernelLookup {
  private readonly byKey = new Map<string, AnyKernel>();

  constructor(kernels: Iterable<AnyKernel>) {
    for (const k of kernels) {
      const key = kernelKey(k.domain ?? '', k.op);
      if (this.byKey.has(key)) throw new Error(`kernel ${key} is registered twice`);
      this.byKey.set(key, k);
    }
  }

  find(domain: string, op: string): AnyKernel | undefined {
    return this.byKey.get(kernelKey(domain, op));
  }

  /** Every op in the set as a "domain:Op" key, sorted. */
  keys(): string[] {
    return [...this.byKey.keys()].sort();
  }
}
