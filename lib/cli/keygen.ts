/**
 * `model-edge keygen`: a new random API key and its SHA-256. The deployment takes only the hash
 * (apiKeySha256); the key goes to the client and is stored nowhere by model-edge.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CliCommand } from './main';

export interface GeneratedKey {
  readonly key: string;
  readonly sha256: string;
}

export function generateApiKey(): GeneratedKey {
  const key = `me_${randomBytes(32).toString('base64url')}`;
  return { key, sha256: createHash('sha256').update(key).digest('hex') };
}

export const command: CliCommand = {
  summary: 'Print a new random API key and the SHA-256 hash the deployment needs.',
  usage: 'model-edge keygen [--json]',
  run(argv) {
    const { key, sha256 } = generateApiKey();
    if (argv.includes('--json')) {
      console.log(JSON.stringify({ key, sha256 }));
      return 0;
    }
    console.log(`API key (give it to the client; it is not stored anywhere):\n  ${key}\n`);
    console.log(`SHA-256 (put it in the deployment's apiKeySha256):\n  ${sha256}\n`);
    console.log(`Clients send it as:  Authorization: Bearer ${key.slice(0, 6)}...`);
    return 0;
  },
};
