/** Where the weights blob is cut into shards: between extents, a larger extent in shards of its own. */
import { shardCuts as cutsWithFlags, type BlobExtent } from '../../lib/model-compiler/shard-cuts';

const shardCuts = (extents: BlobExtent[], blobBytes: number, max: number) => cutsWithFlags(extents, blobBytes, max).map((c) => c.offset);

const extent = (start: number, bytes: number) => ({ start, end: start + bytes });

it('ends a shard before the tensor that would overflow it', () => {
  expect(shardCuts([extent(0, 300), extent(320, 300), extent(640, 300), extent(960, 64)], 1024, 640)).toEqual([0, 640]);
  expect(shardCuts([extent(0, 300), extent(320, 300)], 620, 640)).toEqual([0]);
});

it('gives a tensor larger than a shard shards of its own, from its start to its end', () => {
  expect(shardCuts([extent(0, 100), extent(128, 900), extent(1088, 64), extent(1152, 64)], 1216, 512)).toEqual([0, 128, 640, 1088]);
  // the same tensor named twice (stored once) is one extent
  expect(shardCuts([extent(128, 900), extent(0, 100), extent(128, 900), extent(1088, 64)], 1152, 512)).toEqual([0, 128, 640, 1088]);
  // only the cut inside the tensor continues it
  expect(cutsWithFlags([extent(0, 100), extent(128, 900), extent(1088, 64)], 1152, 512).map((c) => c.continuesTensor)).toEqual([false, false, true, false]);
});

it('never makes a shard longer than the limit, even over bytes no tensor uses', () => {
  expect(shardCuts([], 1000, 256)).toEqual([0, 256, 512, 768]);
  expect(shardCuts([], 0, 256)).toEqual([]);
});

it('refuses a limit that is not a multiple of 64, naming why', () => {
  expect(() => shardCuts([], 100, 100)).toThrow(/positive multiple of 64 \(shards start where tensors may\), not 100/);
});
