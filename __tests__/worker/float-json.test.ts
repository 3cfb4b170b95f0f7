import * as fc from 'fast-check';
import { float32Json } from '../../worker/protocol/tensor-json';

describe('float32 values in responses', () => {
  it('uses the shortest decimal', () => {
    expect(float32Json(Math.fround(0.1))).toBe(0.1);
    expect(float32Json(Math.fround(1.0000001))).toBe(1.0000001);
    expect(float32Json(3)).toBe(3);
    expect(float32Json(NaN)).toBeNull();
    expect(float32Json(-Infinity)).toBeNull();
  });

  it('always reads back as the same float32', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (f) => {
        const v = Math.fround(f);
        expect(Math.fround(float32Json(v)!)).toBe(v);
      }),
      { numRuns: 5000 },
    );
  });
});
