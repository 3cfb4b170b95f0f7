/**
 * Writes docs/operators.md: every op the runtime implements, by domain, from the kernel registry.
 * `npm run docs:operators` regenerates it; a test keeps it in step with the registry.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { supportedOps } from '../worker/runtime/kernels/registry';
import { MODEL_EDGE_DOMAIN } from '../worker/runtime/kernels/common/model-edge-domain';

/** Ops the compiler handles itself rather than through a kernel. */
const COMPILER_OPS = [':Constant'];

export function operatorsDoc(): string {
  // The compiler's own fused ops are not for model files (the check rejects them there).
  const keys = [...new Set([...supportedOps(), ...COMPILER_OPS])].filter((k) => !k.startsWith(`${MODEL_EDGE_DOMAIN}:`)).sort();
  const byDomain = new Map<string, string[]>();
  for (const key of keys) {
    const [domain, op] = key.split(':');
    const name = domain || 'ai.onnx';
    byDomain.set(name, [...(byDomain.get(name) ?? []), op]);
  }
  const lines = [
    '# Supported operators',
    '',
    'Generated from the kernel registry by `npm run docs:operators`. The ONNX backend conformance suite',
    '(`npm run conformance`) checks each op at the opsets it exercises against the expected outputs;',
    '`npx model-edge check model.onnx` tells whether a given model is covered.',
    '',
  ];
  for (const [domain, ops] of [...byDomain].sort(([a], [b]) => (a === 'ai.onnx' ? -1 : b === 'ai.onnx' ? 1 : a.localeCompare(b)))) {
    lines.push(`## ${domain} (${ops.length})`, '', ops.sort().map((op) => `\`${op}\``).join(' '), '');
  }
  return lines.join('\n');
}

if (require.main === module) {
  const file = path.join(__dirname, '..', 'docs', 'operators.md');
  writeFileSync(file, operatorsDoc());
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
