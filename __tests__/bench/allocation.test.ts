/** The allocation benchmark's measurement: it must see per-run allocations and attribute outputs. */
import { measureAllocation, sampleHeapAllocations } from '../../bench/allocation';
import { Tensor } from '../../worker/runtime/tensor';

let sink: unknown;

/** Allocates an array of 64 small objects per call (a few KB), like a kernel building temporaries. */
function allocatingKernel(): void {
  const rows = [];
  for (let i = 0; i < 64; i++) rows.push({ index: i, shape: [i, i + 1] });
  sink = rows;
}

describe('sampleHeapAllocations', () => {
  it('reports about nothing for a function that allocates nothing', async () => {
    let n = 0;
    const r = await sampleHeapAllocations(() => (n += 1), 2000);
    expect(r.bytesPerRun).toBeLessThan(16);
  });

  it('reports the bytes and the frame of a function that allocates per call', async () => {
    const r = await sampleHeapAllocations(allocatingKernel, 1000);
    expect(r.bytesPerRun).toBeGreaterThan(1000);
    expect(r.byFrame[0].frame).toMatch(/allocatingKernel/);
  });
});

describe('measureAllocation', () => {
  const y = new Tensor('float32', [1, 4], new Float32Array([1, 2, 3, 4]));

  it('attributes everything to the outputs when an inference only copies its outputs', async () => {
    const r = await measureAllocation(() => ({ y: y.clone() }), { runs: 1000 });
    expect(r.outputBytes).toBeGreaterThan(0);
    expect(r.otherBytes).toBeLessThan(64);
    expect(r.outputDataBytes).toBe(16);
  });

  it('detects an inference that allocates beyond its outputs and names where', async () => {
    const r = await measureAllocation(
      () => {
        allocatingKernel();
        return { y: y.clone() };
      },
      { runs: 1000 },
    );
    expect(r.otherBytes).toBeGreaterThan(1000);
    expect(r.topOther[0].frame).toMatch(/allocatingKernel/);
    expect(sink).toBeDefined();
  });
});
