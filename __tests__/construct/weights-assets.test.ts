/**
 * Weights as static assets, with the real compiler and bundler: a model too large for the Free
 * plan's script (or any model with weights.storage "assets") synthesizes into a version whose
 * model module is graph + shard manifest, whose weights are sha256-named files in the version's
 * assets directory, read by the Worker first (run_worker_first) through the MODEL_WEIGHTS binding.
 * Over-large models and int8 accuracy limits fail at synth.
 */
import { createHash } from 'crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { ModelEdgeDeployment } from '../../lib/model-edge-deployment';
import { seededMlp } from '../../bench/lib/seeded-mlp';
import { readArtifact, weightsManifestOf } from '../../worker/runtime/artifact';
import { modelV1, newStack, validConfig } from './fixtures/stacks';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const dir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-weights-'));
/** ~4 MB of random float32 weights: incompressible, over the Free plan's 3 MiB gzip. */
const bigModel = path.join(dir, 'big.onnx');
writeFileSync(bigModel, seededMlp({ weightBytes: 4_000_000 }).onnx);

function synth(overrides: Parameters<typeof validConfig>[0]) {
  const stack = newStack();
  const logs: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
  try {
    const deployment = new ModelEdgeDeployment(stack, 'iris', validConfig({ buildDir: path.join(dir, 'build'), limits: { maxTensorElements: 25_600 }, ...overrides }));
    const stackDir = path.join(Testing.fullSynth(stack), 'stacks', 'test');
    const json = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    return { deployment, stackDir, json, logs };
  } finally {
    log.mockRestore();
  }
}

describe('weights as static assets', () => {
  let result: ReturnType<typeof synth>;
  beforeAll(() => {
    result = synth({ versions: [{ label: 'v1', modelPath: bigModel }] });
  });

  it('moves the weights of a model over the script limit into the version\'s assets, private behind the Worker', () => {
    const version = Object.values<any>(result.json.resource.cloudflare_worker_version)[0];
    expect(version.assets.config.run_worker_first).toBe(true);
    expect(version.bindings).toContainEqual({ name: 'MODEL_WEIGHTS', type: 'assets' });
    const assetsDir = path.join(result.stackDir, version.assets.directory);
    const shards = readdirSync(assetsDir);
    expect(shards.length).toBe(1);
    for (const name of shards) expect(sha256(readFileSync(path.join(assetsDir, name)))).toBe(name);
    expect(result.deployment.versions[0].weightShards).toBe(1);

    const model = readFileSync(path.join(result.stackDir, version.modules.find((m: any) => m.name === 'model.bin').content_file));
    expect(model.byteLength).toBeLessThan(10_000);
    const manifest = weightsManifestOf(model)!;
    expect(manifest.shards.map((s) => s.sha256)).toEqual(shards);
    // The script carries the graph and manifest; with the shards it is the whole model.
    const blob = readFileSync(path.join(assetsDir, shards[0]));
    expect(readArtifact(model, [{ offset: 0, bytes: blob }]).graph.initializers.size).toBe(6);
    expect(() => readArtifact(model)).toThrow(/weights are in separate shards/);
    expect(result.logs.join('\n')).toMatch(/1 static asset shard; peak memory ~[\d.]+ MiB of 128\.00 MiB/);
  });

  it('keeps small models in the script unless asked, and moves them when weights.storage is "assets"', () => {
    const small = synth({});
    expect(Object.values<any>(small.json.resource.cloudflare_worker_version)[0].assets).toBeUndefined();
    const asked = synth({ weights: { storage: 'assets' } });
    const version = Object.values<any>(asked.json.resource.cloudflare_worker_version)[0];
    expect(version.assets.config.run_worker_first).toBe(true);
    expect(readdirSync(path.join(asked.stackDir, version.assets.directory))).toHaveLength(1);
  });

  it('fails a too-large model kept in the script with the limit and the fix', () => {
    expect(() => synth({ versions: [{ label: 'v1', modelPath: bigModel }], weights: { storage: 'script' } })).toThrow(
      /versions\[0\]\.modelPath: the Worker bundle plus model is [\d.]+ MiB after gzip .* over the free plan's limit of 3\.00 MiB.*set weights\.storage to "auto"/s,
    );
  });

  it('fails a model whose estimated peak memory exceeds the isolate, naming the batch limit that fits', () => {
    expect(() => synth({ versions: [{ label: 'v1', modelPath: bigModel }], limits: { maxTensorElements: 10_000_000 } })).toThrow(
      /versions\[0\]\.modelPath: the model needs an estimated [\d.]+ MiB in one Worker isolate, over the platform's 128\.00 MiB.*set limits\.maxTensorElements to at most \d+/s,
    );
  });

  it('int8 weights shrink the model, print the accuracy change and fail over weights.maxAbsDiff', () => {
    const int8 = synth({ versions: [{ label: 'v1', modelPath: bigModel }], weights: { precision: 'int8' } });
    const version = Object.values<any>(int8.json.resource.cloudflare_worker_version)[0];
    // about a quarter of the float32 size: it now fits the script
    expect(version.assets).toBeUndefined();
    expect(int8.logs.join('\n')).toMatch(/int8 weights \(3 tensors\) vs float32: max abs diff [\d.e-]+, arg-max agreement [\d.]+% over 64 generated inputs/);
    expect(() => synth({ versions: [{ label: 'v1', modelPath: bigModel }], weights: { precision: 'int8', maxAbsDiff: 1e-9 } })).toThrow(
      /weights\.maxAbsDiff: int8 weights change an output by up to [\d.e-]+, over the limit of 1e-9/,
    );
  });

  it('refuses unknown storage and precision values', () => {
    expect(() => synth({ weights: { storage: 'r2', precision: 'int4' } })).toThrow(/weights\.storage: "r2" is not a weight storage.*weights\.precision: "int4" is not a weight precision/s);
  });
});

// Every version carries its own weights, so a canary and its stable version roll out atomically.
it('gives each version its own assets directory', () => {
  const other = path.join(dir, 'other');
  mkdirSync(other, { recursive: true });
  const second = path.join(other, 'big2.onnx');
  writeFileSync(second, seededMlp({ weightBytes: 4_000_000, seed: 9 }).onnx);
  const { json } = synth({ versions: [{ label: 'v1', modelPath: bigModel, percentage: 90 }, { label: 'v2', modelPath: second }] });
  const dirs = Object.values<any>(json.resource.cloudflare_worker_version).map((v) => v.assets.directory);
  expect(new Set(dirs).size).toBe(2);
  expect(modelV1).toBeDefined();
});

// Opt-in (MODEL_EDGE_LARGE_WEIGHTS=1, about a minute): 50 MiB of float32 weights and the int8 variant.
(process.env.MODEL_EDGE_LARGE_WEIGHTS === '1' ? describe : describe.skip)('a model with 50 MiB of float32 weights', () => {
  const large = path.join(dir, 'large.onnx');
  beforeAll(() => writeFileSync(large, seededMlp({ weightBytes: 50 * 1024 * 1024 }).onnx));
  it.each(['float32', 'int8'])('synthesizes with its weights as the version\'s assets (%s)', (precision) => {
    const { json, stackDir } = synth({ versions: [{ label: 'v1', modelPath: large }], weights: { precision }, limits: { maxTensorElements: 2560 } });
    const version = Object.values<any>(json.resource.cloudflare_worker_version)[0];
    expect(version.assets.config.run_worker_first).toBe(true);
    const shards = readdirSync(path.join(stackDir, version.assets.directory));
    expect(shards.length).toBe(precision === 'int8' ? 1 : 3);
    for (const name of shards) expect(sha256(readFileSync(path.join(stackDir, version.assets.directory, name)))).toBe(name);
  }, 600_000);
});
