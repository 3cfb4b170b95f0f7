/**
 * What `npm start` serves from cdktf.out: the synthesized MODEL_CONFIG with its cache settings kept
 * (local serving has a Cache API), and API keys from a Terraform variable dropped together with
 * any key requirement (their values exist only at apply time).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readSynthesizedStacks } from '../../lib/local/synthesized';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function synthesized(modelConfigText: string): string {
  dir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-synthesized-'));
  const stackDir = path.join(dir, 'stacks', 's');
  mkdirSync(stackDir, { recursive: true });
  for (const f of ['worker.js', 'model.bin']) writeFileSync(path.join(stackDir, f), 'x');
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ stacks: { s: { synthesizedStackPath: 'stacks/s/cdk.tf.json', workingDirectory: 'stacks/s' } } }));
  writeFileSync(
    path.join(stackDir, 'cdk.tf.json'),
    JSON.stringify({
      resource: {
        cloudflare_worker_version: {
          v1: {
            modules: [
              { name: 'worker.js', content_type: 'application/javascript+module', content_file: 'worker.js' },
              { name: 'model.bin', content_type: 'application/octet-stream', content_file: 'model.bin' },
            ],
            bindings: [{ name: 'MODEL_CONFIG', type: 'plain_text', text: modelConfigText }],
          },
        },
      },
    }),
  );
  return dir;
}

it('keeps the deployment cache settings', () => {
  const [stack] = readSynthesizedStacks(synthesized('{"name":"m","version":"v1","cache":{"enabled":true,"ttlSeconds":120}}'));
  expect(JSON.parse(stack.models[0].modelConfig!).cache).toEqual({ enabled: true, ttlSeconds: 120 });
  expect(stack.notes.join('\n')).not.toMatch(/cache/i);
});

it('serves keys from a Terraform variable as no keys, without a key requirement', () => {
  const [stack] = readSynthesizedStacks(synthesized('{"name":"m","version":"v1","auth":{"keySha256":${jsonencode(var.keys)},"required":true}}'));
  expect(JSON.parse(stack.models[0].modelConfig!).auth).toEqual({ keySha256: [] });
  expect(stack.notes.join('\n')).toMatch(/local serving runs without keys/);
});
