/**
 * The real compiler and the real esbuild bundle (no fake): a full synth writes every module into
 * the stack folder by a relative path, the model module is the compiled artifact, and no secret
 * ends up anywhere under the output folder.
 */
import { createHash } from 'crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing, TerraformVariable } from 'cdktf';
import { compileModelFile } from '../../lib/model-compiler';
import { ModelEdgeDeployment } from '../../lib/model-edge-deployment';
import { ACCOUNT, fixtureDir, modelV1, newStack, validConfig } from './fixtures/stacks';
import { writeTinyModel } from './fixtures/tiny-model';
import { openApiProblems } from '../worker/support/openapi-schema';
import { artifactOps, kernelExports } from '../../lib/kernel-selection';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? filesUnder(path.join(dir, n)) : [path.join(dir, n)]));

describe('full synth with the real compiler and bundler', () => {
  const rawKey = `me_${'k3y'.repeat(12)}`;
  const secretHashes = 'b'.repeat(64);
  let stackDir: string;
  let json: any;
  let deployment: ModelEdgeDeployment;

  beforeAll(() => {
    process.env.TF_VAR_iris_keys = JSON.stringify([secretHashes]);
    const stack = newStack();
    const keys = new TerraformVariable(stack, 'iris_keys', { type: 'list(string)', sensitive: true });
    deployment = new ModelEdgeDeployment(stack, 'iris', validConfig({
      apiKeySha256: keys.listValue,
      buildDir: mkdtempSync(path.join(os.tmpdir(), 'model-edge-e2e-build-')),
    }));
    // The construct only ever sees hashes; the raw key exists in this test alone.
    expect(sha256(Buffer.from(rawKey))).toHaveLength(64);
    const outdir = Testing.fullSynth(stack);
    stackDir = path.join(outdir, 'stacks', 'test');
    json = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  });
  afterAll(() => delete process.env.TF_VAR_iris_keys);

  it('references every asset by a relative path that exists inside the stack folder', () => {
    const version = Object.values<any>(json.resource.cloudflare_worker_version)[0];
    expect(version.modules.map((m: any) => m.name)).toEqual(expect.arrayContaining(['worker.js', 'model-kernels.js', 'model.bin', 'kernels.wasm']));
    for (const m of version.modules) {
      expect(path.isAbsolute(m.content_file)).toBe(false);
      expect(m.content_file).not.toContain('..');
      expect(existsSync(path.join(stackDir, m.content_file))).toBe(true);
    }
    expect(JSON.stringify(json)).not.toContain(os.tmpdir());
  });

  it('writes the version\'s OpenAPI 3.1 document beside the stack, from the compiled signature', () => {
    const doc = JSON.parse(readFileSync(path.join(stackDir, 'openapi', 'iris', 'v1.json'), 'utf8'));
    expect(openApiProblems(doc)).toEqual([]);
    const signature = compileModelFile(modelV1).signature;
    const inputs = Object.entries<any>(doc.components.schemas).filter(([k]) => k.startsWith('Input')).map(([, s]) => s.properties.name.const);
    expect(inputs).toEqual(signature.inputs.map((i) => i.name));
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['bearer', 'apiKey']);
    expect(doc.servers.map((s: any) => s.url)).toEqual(deployment.endpoints.map((e) => e.replace(/\/$/, '')));
  });

  it('uploads the compiled artifact as model.bin and the esbuild bundle as worker.js', () => {
    const version = Object.values<any>(json.resource.cloudflare_worker_version)[0];
    const file = (name: string) => readFileSync(path.join(stackDir, version.modules.find((m: any) => m.name === name).content_file));
    const compiled = compileModelFile(modelV1);
    expect(sha256(file('model.bin'))).toBe(compiled.sha256);
    expect(json.output.iris_version_v1_model_sha256.value).toBe(compiled.sha256);
    expect(deployment.versions[0].sourceSha256).toBe(compiled.sourceSha256);
    const code = file('worker.js').toString('utf8');
    expect(code).toMatch(/from\s*"\.\/model\.bin"/);
    expect(code).toMatch(/export\s*\{.*as default/);
    expect(file('kernels.wasm').subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
  });

  it('uploads only the kernels of the ops the model uses, and every module the code imports', () => {
    const version = Object.values<any>(json.resource.cloudflare_worker_version)[0];
    const names = new Set<string>(version.modules.map((m: any) => m.name));
    const code = (name: string) => readFileSync(path.join(stackDir, version.modules.find((m: any) => m.name === name).content_file), 'utf8');
    const kernelModules = [...names].filter((n) => n.startsWith('kernels-'));
    const ops = artifactOps(readFileSync(path.join(stackDir, version.modules.find((m: any) => m.name === 'model.bin').content_file)));
    const exports = kernelExports();
    expect(kernelModules.sort()).toEqual([...new Set(ops.map((op) => `kernels-${exports.get(op)!.file.replace(/\//g, '-')}.js`))].sort());
    expect(kernelModules.length).toBeLessThan(new Set([...exports.values()].map((e) => e.file)).size / 4);
    expect(code('model-kernels.js').match(/^import /gm)).toHaveLength(ops.length);
    for (const name of names) {
      if (!name.endsWith('.js')) continue;
      for (const [, imported] of code(name).matchAll(/from\s*"\.\/([^"]+)"/g)) expect(names).toContain(imported);
    }
  });

  it('writes no secret (variable value or raw key) anywhere under the output folder', () => {
    const everything = filesUnder(path.dirname(path.dirname(stackDir))).map((f) => readFileSync(f).toString('latin1')).join('\n');
    expect(everything).toContain('var.iris_keys');
    expect(everything).not.toContain(secretHashes);
    expect(everything).not.toContain(rawKey);
    expect(everything).toContain(ACCOUNT); // sanity: the search does see the output
  });

  it('fails with the compiler\'s problems for a model it cannot compile', () => {
    const bad = path.join(fixtureDir, 'not-a-model.onnx');
    require('fs').writeFileSync(bad, 'this is not protobuf');
    expect(() => new ModelEdgeDeployment(newStack(), 'iris', validConfig({ versions: [{ label: 'v1', modelPath: bad }] }))).toThrow(/model "iris", field versions\[0\]\.modelPath: the model .*not-a-model.onnx cannot be compiled: .+\. Fix: export the model again/);
  });

  it('keeps the tiny fixture model compilable', () => expect(() => compileModelFile(writeTinyModel(fixtureDir, 'again.onnx'))).not.toThrow());
});
