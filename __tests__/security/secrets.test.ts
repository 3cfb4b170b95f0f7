/**
 * Secrets and key handling:
 * - a full synth of the project stack (models folder, key hashes from a sensitive variable, provider
 *   credentials in the environment) writes no secret value anywhere under cdktf.out
 *   (__tests__/construct/end-to-end.test.ts covers the construct alone with a variable);
 * - the key comparison runs over the whole length whatever the inputs (code and behaviour);
 * - error answers and log lines never echo a presented key or a stack trace;
 * - model names are checked against the strict pattern before anything looks them up.
 */
import { createHash } from 'crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { App } from 'cdktf';
import { addModelEdgeStacks } from '../../lib/stack';
import { constantTimeEqual } from '../../worker/http/hash';
import { harness } from '../worker/support/app-harness';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? filesUnder(path.join(dir, n)) : [path.join(dir, n)]));

describe('a full synth of the project stack with keys configured', () => {
  const rawKey = `me_live_${'Zq9'.repeat(14)}`;
  const keyHash = sha256(rawKey);
  const secrets = {
    CLOUDFLARE_API_TOKEN: `cf_token_${'T0k'.repeat(12)}`,
    TF_VAR_iris_api_keys: JSON.stringify([keyHash]),
    TF_TOKEN_app_terraform_io: `tfc_${'S3c'.repeat(12)}`,
  };
  let outdir: string;

  beforeAll(() => {
    const modelsDir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-secrets-models-'));
    cpSync(path.join(__dirname, '../../models/iris'), path.join(modelsDir, 'iris'), { recursive: true });
    const settings = JSON.parse(readFileSync(path.join(modelsDir, 'iris/deployment.json'), 'utf8'));
    writeFileSync(path.join(modelsDir, 'iris/deployment.json'), JSON.stringify({ ...settings, apiKeySha256Variable: 'iris_api_keys' }));
    outdir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-secrets-out-'));
    const env = { ...secrets, CLOUDFLARE_ACCOUNT_ID: '0123456789abcdef0123456789abcdef', CLOUDFLARE_ZONE_NAME: 'example.com' };
    const saved = { ...process.env };
    Object.assign(process.env, secrets); // as a CI job would have them
    try {
      const app = new App({ outdir });
      addModelEdgeStacks(app, { modelsDir, env, buildDir: mkdtempSync(path.join(os.tmpdir(), 'model-edge-secrets-build-')) });
      app.synth();
    } finally {
      for (const k of Object.keys(secrets)) if (saved[k] === undefined) delete process.env[k];
    }
  }, 60_000);

  it('writes the key variable reference, but no key, key hash or credential, in any file', () => {
    const files = filesUnder(outdir);
    expect(files.some((f) => f.endsWith('model.bin') || f.endsWith('.bin'))).toBe(true); // the search sees binary assets too
    const everything = files.map((f) => readFileSync(f).toString('latin1')).join('\n');
    expect(everything).toContain('var.iris_api_keys');
    for (const value of [rawKey, keyHash, secrets.CLOUDFLARE_API_TOKEN, secrets.TF_TOKEN_app_terraform_io]) {
      expect(everything).not.toContain(value);
    }
  });

  it('declares the key variable sensitive', () => {
    const stackJson = filesUnder(outdir).find((f) => f.endsWith('cdk.tf.json'))!;
    const json = JSON.parse(readFileSync(stackJson, 'utf8'));
    expect(json.variable.iris_api_keys).toMatchObject({ sensitive: true, type: 'list(string)' });
  });
});

describe('constant-time key comparison', () => {
  const source = readFileSync(path.join(__dirname, '../../worker/http/hash.ts'), 'utf8');
  const body = source.slice(source.indexOf('export function constantTimeEqual'));
  const fn = body.slice(0, body.indexOf('\n}\n') + 2);

  it('iterates over the full length with no early exit (code inspection)', () => {
    expect(fn).toMatch(/for \(let i = 0; i < n; i\+\+\)/);
    expect(fn).toMatch(/const n = Math\.max\(a\.length, b\.length\)/);
    expect(fn).not.toMatch(/return (false|true)|break|===\s*b\b|a\s*===|\.startsWith|\.indexOf|localeCompare/);
    // the API key middleware compares against every digest without stopping at a match
    const middleware = readFileSync(path.join(__dirname, '../../worker/http/api-key.ts'), 'utf8');
    expect(middleware).toMatch(/for \(const digest of digests\) match = constantTimeEqual\(presented, digest\) \|\| match;/);
  });

  it('visits every character: reads of both strings cover the whole length, whatever matches', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.string({ maxLength: 80 }), (a, b) => {
        const reads = { a: 0, b: 0 };
        const counted = (s: string, which: 'a' | 'b'): string =>
          new Proxy(Object(s) as object, {
            get(target, prop) {
              if (prop === 'charCodeAt') return (i: number) => (reads[which]++, s.charCodeAt(i));
              return Reflect.get(target, prop);
            },
          }) as unknown as string;
        const equal = constantTimeEqual(counted(a, 'a'), counted(b, 'b'));
        expect(equal).toBe(a === b);
        const n = Math.max(a.length, b.length);
        expect(reads).toEqual({ a: n, b: n });
      }),
      { numRuns: 500 },
    );
  });

  it('tells equal from different digests, including one differing only in the last character', () => {
    const d = sha256('k');
    expect(constantTimeEqual(d, d)).toBe(true);
    expect(constantTimeEqual(d, d.slice(0, 63) + (d[63] === '0' ? '1' : '0'))).toBe(false);
    expect(constantTimeEqual(d, d.slice(0, 63))).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('a\u0000', 'a')).toBe(false);
  });
});

describe('error answers and logs never echo keys or stack traces', () => {
  const KEY = 'me_secret_key_do_not_echo_4242';
  const h = harness('multi', { auth: { keySha256: [sha256(KEY)] } });
  const wrongKeys = [`${KEY}x`, KEY.toUpperCase(), 'sk_live_abcdefghijklmnopqrstuvwxyz012345', 'x'.repeat(600), `${KEY} ${KEY}`];

  it.each(wrongKeys.flatMap((k) => [['authorization', `Bearer ${k}`], ['x-api-key', k]]))('a wrong key in %s (case %#)', async (header, value) => {
    const res = await h.request('/v2/models/multi', { headers: { [header]: value } });
    expect(res.status).toBe(401);
    const text = await res.text();
    const presented = value.replace(/^Bearer /, '');
    expect(text).not.toContain(presented.slice(0, 24));
    expect(text).not.toMatch(/\n\s+at\s/);
  });

  it('keeps keys and stacks out of every log line, and logs no fault for bad input', async () => {
    await h.post('/v2/models/multi/infer', '{"inputs":[', { authorization: `Bearer ${KEY}` });
    await h.post('/v2/models/multi/infer', { inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: ['NaN', 1, 2] }] }, { 'x-api-key': KEY });
    const all = h.logs.join('\n');
    for (const k of [KEY, ...wrongKeys]) expect(all).not.toContain(k.slice(0, 24));
    expect(all).not.toContain(sha256(KEY)); // not even the digest
    expect(all).not.toMatch(/"stack"|\n\s+at\s/);
    expect(h.logs.map((l) => JSON.parse(l).status)).not.toContain(500);
  });
});

describe('model names are validated before any lookup', () => {
  it('checks the name against MODEL_NAME_PATTERN before comparing it with the configured name', () => {
    const route = readFileSync(path.join(__dirname, '../../worker/routes/model-route.ts'), 'utf8');
    expect(route).toMatch(/if \(!MODEL_NAME_PATTERN\.test\(name\) \|\| name !== config\.name\)/);
  });

  it.each(['..', '%2e%2e', 'multi%00', '__proto__', 'constructor', 'a'.repeat(129), encodeURIComponent('mülti')].map((n) => n.slice(0, 140)))('refuses %s with 404 and a sanitised echo', async (name) => {
    const h = harness('multi');
    const res = await h.request(`/v2/models/${name}/ready`);
    expect([404]).toContain(res.status);
    const { error } = await res.json();
    expect(error).not.toMatch(/[^\x20-\x7e]/); // quoted names are printable ASCII only
    expect(error.length).toBeLessThan(300);
  });
});
