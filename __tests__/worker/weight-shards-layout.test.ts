/**
 * How weights shards are laid out and read: the compiler cuts them between tensors (a tensor larger
 * than a shard fills a run of shards of its own), the Worker keeps each verified body (a run's
 * bodies read into one buffer) and the reader views every tensor inside the segment that holds it.
 * Manifests cut at fixed offsets (as written before, checked with SHA-256) still load, tensors
 * across shards assembled by the reader. The XXH32 check
 * catches a flipped byte, a shard swapped for another of the same length and a short body.
 */
import { createHash } from 'crypto';
import { compileModel, shardArtifactWeights } from '../../lib/model-compiler';
import { readArtifactHeader } from '../../lib/model-compiler/artifact-header';
import { blobExtents } from '../../lib/model-compiler/shard-cuts';
import { seededMlp } from '../../bench/lib/seeded-mlp';
import { ARTIFACT_PREAMBLE, readArtifact, type WeightShard, type WeightsManifest } from '../../worker/runtime/artifact';
import { loadWeightShards } from '../../worker/model-loading/weight-shards';
import { xxh32, xxh32Hex } from '../../worker/model-loading/xxh32';
import type { Tensor } from '../../worker/runtime/tensor';

const MAX = 64 * 1024;
const mlp = seededMlp({ weightBytes: 400_000, inputs: 16, outputs: 3 });
const compiled = compileModel(mlp.onnx);
const { header, blobOffset } = readArtifactHeader(compiled.artifact);
const blob = compiled.artifact.subarray(blobOffset);
const sharded = shardArtifactWeights(compiled.artifact, MAX);
const inline = readArtifact(compiled.artifact).graph.initializers;

/** A binding over shard bodies by name (`bodies` may map a name to other bytes). */
const serving = (bodies: Map<string, Uint8Array>) => ({
  fetch: async (request: Request) => {
    const body = bodies.get(new URL(request.url).pathname.slice(1));
    return body ? new Response(body) : new Response('not found', { status: 404 });
  },
});
const bodiesOf = (shards: ReadonlyArray<WeightShard & { bytes: Uint8Array }>) => new Map(shards.map((s) => [s.sha256, s.bytes]));

/** The sharded artifact with another manifest, and its shards cut every `every` bytes of the blob. */
function fixedCuts(every: number, withXxh32: boolean) {
  const shards: Array<WeightShard & { bytes: Uint8Array }> = [];
  for (let offset = 0; offset < blob.byteLength; offset += every) {
    const bytes = blob.slice(offset, Math.min(blob.byteLength, offset + every));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    shards.push({ sha256, ...(withXxh32 ? { xxh32: xxh32Hex(xxh32(bytes)) } : {}), offset, length: bytes.byteLength, bytes });
  }
  const manifest: WeightsManifest = { bytes: blob.byteLength, shards: shards.map(({ bytes, ...s }) => s) };
  const length = new DataView(sharded.artifact.buffer, sharded.artifact.byteOffset).getUint32(12, true);
  const h = JSON.parse(new TextDecoder().decode(sharded.artifact.subarray(ARTIFACT_PREAMBLE, ARTIFACT_PREAMBLE + length)));
  h.weights = manifest;
  const text = new TextEncoder().encode(JSON.stringify(h));
  const artifact = new Uint8Array(ARTIFACT_PREAMBLE + text.byteLength);
  artifact.set(sharded.artifact.subarray(0, ARTIFACT_PREAMBLE));
  new DataView(artifact.buffer).setUint32(12, text.byteLength, true);
  artifact.set(text, ARTIFACT_PREAMBLE);
  return { artifact, manifest, shards };
}

function expectSameWeights(loaded: ReadonlyMap<string, Tensor>): void {
  expect([...loaded.keys()]).toEqual([...inline.keys()]);
  for (const [name, t] of inline) expect(Array.from(loaded.get(name)!.data as Float32Array)).toEqual(Array.from(t.data as Float32Array));
}

describe('shards cut between tensors', () => {
  it('covers the blob in order from 64-byte offsets, each shard at most the limit, with its SHA-256 and XXH32', () => {
    let end = 0;
    for (const s of sharded.shards) {
      expect(s.offset).toBe(end);
      expect(s.offset % 64).toBe(0);
      expect(s.length).toBeLessThanOrEqual(MAX);
      expect(s.sha256).toBe(createHash('sha256').update(s.bytes).digest('hex'));
      expect(s.xxh32).toBe(xxh32Hex(xxh32(s.bytes)));
      expect(Buffer.from(s.bytes).equals(Buffer.from(blob.subarray(s.offset, s.offset + s.length)))).toBe(true);
      end += s.length;
    }
    expect(end).toBe(blob.byteLength);
  });

  it('keeps every tensor that fits a shard inside one, and gives a larger one shards of its own', () => {
    const starts = sharded.shards.map((s) => s.offset);
    const shardOf = (at: number) => starts.filter((o) => o <= at).length - 1;
    const extents = blobExtents(header);
    const [large, ...more] = extents.filter((e) => e.end - e.start > MAX);
    expect(large).toBeDefined();
    expect(more).toHaveLength(0);
    const ownShards = new Set<number>();
    for (let i = shardOf(large.start); i <= shardOf(large.end - 1); i++) ownShards.add(i);
    expect(starts).toContain(large.start);
    for (const e of extents) {
      if (e === large) continue;
      expect(shardOf(e.end - 1)).toBe(shardOf(e.start));
      expect(ownShards.has(shardOf(e.start))).toBe(false);
    }
  });

  it('reads every tensor as a view: of the shard body holding it, or of the one buffer its run of shards was read into', async () => {
    const run = sharded.shards.filter((s) => s.continues).length;
    expect(run).toBeGreaterThan(0);
    const segments = await loadWeightShards(readManifest(), serving(bodiesOf(sharded.shards)));
    expect(segments).toHaveLength(sharded.shards.length - run);
    const buffers = new Set(segments.map((s) => s.bytes.buffer));
    const loaded = readArtifact(sharded.artifact, segments).graph.initializers;
    expectSameWeights(loaded);
    for (const t of loaded.values()) expect(buffers.has((t.data as Float32Array).buffer)).toBe(true);
    const large = [...loaded.values()].find((t) => (t.data as Float32Array).byteLength > MAX)!;
    const segment = segments.find((s) => s.bytes.buffer === (large.data as Float32Array).buffer)!;
    expect(segment.bytes.byteLength).toBe(sharded.shards.filter((s) => s.offset >= segment.offset && s.offset < segment.offset + segment.bytes.byteLength).reduce((n, s) => n + s.length, 0));
  });

  it('checks each shard of a run: a flipped byte, a short body and a long one', async () => {
    const manifest = readManifest();
    const continued = sharded.shards.find((s) => s.continues)!;
    const name = continued.sha256.slice(0, 12);
    const flipped = bodiesOf(sharded.shards);
    flipped.set(continued.sha256, continued.bytes.map((b, i) => (i === 9 ? b ^ 0x80 : b)));
    await expect(loadWeightShards(manifest, serving(flipped))).rejects.toThrow(new RegExp(`weights shard ${name} does not match its XXH32 checksum; .*redeploy it`));
    const short = bodiesOf(sharded.shards);
    short.set(continued.sha256, continued.bytes.subarray(0, 100));
    await expect(loadWeightShards(manifest, serving(short))).rejects.toThrow(new RegExp(`weights shard ${name} has 100 of its ${continued.length} bytes`));
    const long = bodiesOf(sharded.shards);
    long.set(continued.sha256, Uint8Array.from([...continued.bytes, 1]));
    await expect(loadWeightShards(manifest, serving(long))).rejects.toThrow(new RegExp(`weights shard ${name} is longer than its ${continued.length} bytes`));
  });
});

it('stops a run at its first failing shard, leaving no failure of the shards after it unhandled', async () => {
  const manifest = readManifest();
  const first = sharded.shards.findIndex((s, i) => sharded.shards[i + 1]?.continues);
  const [head, next] = [sharded.shards[first], sharded.shards[first + 1]];
  const unhandled: unknown[] = [];
  const note = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', note);
  try {
    const failing = {
      fetch: async (request: Request) => {
        const name = new URL(request.url).pathname.slice(1);
        if (name === head.sha256) return new Response('not found', { status: 404 });
        if (name === next.sha256) throw new Error('connection reset');
        return new Response(bodiesOf(sharded.shards).get(name)!.slice());
      },
    };
    await expect(loadWeightShards(manifest, failing)).rejects.toThrow(new RegExp(`weights shard ${head.sha256.slice(0, 12)} answered 404`));
    await new Promise((r) => setTimeout(r, 20));
  } finally {
    process.off('unhandledRejection', note);
  }
  expect(unhandled).toEqual([]);
});

describe('bodies that are not byte streams', () => {
  /** Serves each body as a default (not byte) stream, which has no BYOB reader. */
  const streaming = (bodies: Map<string, Uint8Array>) => ({
    fetch: async (request: Request) => {
      const body = bodies.get(new URL(request.url).pathname.slice(1))!;
      return new Response(new ReadableStream({ start: (c) => (c.enqueue(body.slice()), c.close()) }));
    },
  });

  it('are read whole and copied into place, with the same checks', async () => {
    const manifest = readManifest();
    expect(() => new Response(new ReadableStream()).body!.getReader({ mode: 'byob' })).toThrow();
    expectSameWeights(readArtifact(sharded.artifact, await loadWeightShards(manifest, streaming(bodiesOf(sharded.shards)))).graph.initializers);
    const continued = sharded.shards.find((s) => s.continues)!;
    const short = bodiesOf(sharded.shards);
    short.set(continued.sha256, continued.bytes.subarray(0, 100));
    await expect(loadWeightShards(manifest, streaming(short))).rejects.toThrow(/has 100 of its \d+ bytes/);
    const long = bodiesOf(sharded.shards);
    long.set(continued.sha256, Uint8Array.from([...continued.bytes, 1]));
    await expect(loadWeightShards(manifest, streaming(long))).rejects.toThrow(/is longer than its \d+ bytes/);
    const flipped = bodiesOf(sharded.shards);
    flipped.set(continued.sha256, continued.bytes.map((b, i) => (i === 3 ? b ^ 1 : b)));
    await expect(loadWeightShards(manifest, streaming(flipped))).rejects.toThrow(/does not match its XXH32 checksum/);
  });
});

function readManifest(): WeightsManifest {
  const length = new DataView(sharded.artifact.buffer, sharded.artifact.byteOffset).getUint32(12, true);
  return JSON.parse(new TextDecoder().decode(sharded.artifact.subarray(ARTIFACT_PREAMBLE, ARTIFACT_PREAMBLE + length))).weights;
}

describe('manifests cut at fixed offsets, as written before', () => {
  it.each([[MAX], [10_001]])('load from shards of %i bytes, checked with SHA-256 (tensors across and misaligned in shards copied)', async (every) => {
    const old = fixedCuts(every, false);
    const segments = await loadWeightShards(old.manifest, serving(bodiesOf(old.shards)));
    expectSameWeights(readArtifact(old.artifact, segments).graph.initializers);
    const corrupt = bodiesOf(old.shards);
    const [name, bytes] = [...corrupt][1];
    corrupt.set(name, bytes.map((b, i) => (i === 100 ? b ^ 0x10 : b)));
    await expect(loadWeightShards(old.manifest, serving(corrupt))).rejects.toThrow(/weights shard [0-9a-f]{12} does not match its SHA-256; .*redeploy it/);
  });
});

describe('the XXH32 check', () => {
  const cut = fixedCuts(MAX, true);
  const names = cut.shards.map((s) => s.sha256);

  it('passes the shards as built', async () => {
    const segments = await loadWeightShards(cut.manifest, serving(bodiesOf(cut.shards)));
    expectSameWeights(readArtifact(cut.artifact, segments).graph.initializers);
  });

  it('catches a flipped byte', async () => {
    for (const at of [0, 12_345, MAX - 1]) {
      const bodies = bodiesOf(cut.shards);
      bodies.set(names[2], bodies.get(names[2])!.map((b, i) => (i === at ? b ^ 0x01 : b)));
      await expect(loadWeightShards(cut.manifest, serving(bodies))).rejects.toThrow(new RegExp(`weights shard ${names[2].slice(0, 12)} does not match its XXH32 checksum; the version's assets do not match its model, redeploy it`));
    }
  });

  it('catches a shard swapped for another of the same length', async () => {
    expect(cut.shards[1].length).toBe(cut.shards[2].length);
    const bodies = bodiesOf(cut.shards);
    bodies.set(names[1], cut.shards[2].bytes);
    bodies.set(names[2], cut.shards[1].bytes);
    await expect(loadWeightShards(cut.manifest, serving(bodies))).rejects.toThrow(/does not match its XXH32 checksum/);
  });

  it('catches a short body, naming the lengths', async () => {
    const bodies = bodiesOf(cut.shards);
    bodies.set(names[3], cut.shards[3].bytes.subarray(0, 1000));
    await expect(loadWeightShards(cut.manifest, serving(bodies))).rejects.toThrow(new RegExp(`weights shard ${names[3].slice(0, 12)} has 1000 of its ${MAX} bytes; .*redeploy it`));
  });
});
