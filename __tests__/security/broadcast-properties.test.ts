/**
 * worker/runtime/kernels/broadcast.ts against a naive reference written straight from the ONNX
 * (numpy) broadcasting rule: align shapes on the right; each dimension is equal, or 1.
 */
import fc from 'fast-check';
import { broadcastIndex, broadcastShapes, broadcastStrides } from '../../worker/runtime/kernels/common/broadcast';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

/** The reference: the output shape, or null when some dimension pair conflicts. */
function referenceShape(shapes: ReadonlyArray<readonly number[]>): number[] | null {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const dims = shapes.map((s) => s[s.length - rank + i] ?? 1); // missing leading dims count as 1
    const notOne = [...new Set(dims.filter((d) => d !== 1))];
    if (notOne.length > 1) return null;
    out.push(notOne[0] ?? 1);
  }
  return out;
}

/** The flat input index of output coordinate `coord`, by the rule itself. */
function referenceIndex(shape: readonly number[], outShape: readonly number[], coord: readonly number[]): number {
  let index = 0;
  for (let i = 0; i < shape.length; i++) {
    const c = shape[i] === 1 ? 0 : coord[outShape.length - shape.length + i];
    index = index * shape[i] + c;
  }
  return index;
}

function coords(shape: readonly number[]): number[][] {
  const all: number[][] = [[]];
  return shape.reduce((acc, d) => acc.flatMap((c) => Array.from({ length: d }, (_, i) => [...c, i])), all);
}

/** Shapes that broadcast together: suffixes of one output shape with some dimensions set to 1. */
const compatible = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }).chain((out) =>
  fc.array(
    fc.tuple(fc.nat({ max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length })).map(([drop, ones]) =>
      out.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)),
    ),
    { minLength: 1, maxLength: 4 },
  ),
);
const anyShapes = fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }), { minLength: 1, maxLength: 4 });

describe('broadcasting against the reference (property)', () => {
  it('broadcastShapes agrees with the rule on compatible and arbitrary shapes', () => {
    fc.assert(
      fc.property(fc.oneof(compatible, anyShapes), (shapes) => {
        expect(broadcastShapes(...shapes)).toEqual(referenceShape(shapes));
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('is symmetric: the order of the inputs does not change the result', () => {
    fc.assert(
      fc.property(anyShapes, (shapes) => {
        expect(broadcastShapes(...[...shapes].reverse())).toEqual(broadcastShapes(...shapes));
      }),
      { numRuns: RUNS },
    );
  });

  it('broadcastIndex gives, for every output element, the input element the rule picks', () => {
    fc.assert(
      fc.property(compatible, (shapes) => {
        const out = broadcastShapes(...shapes)!;
        const index = broadcastIndex(shapes, out);
        const all = coords(out);
        shapes.forEach((shape, k) => {
          expect(index[k]).toHaveLength(all.length);
          expect(Array.from(index[k])).toEqual(all.map((c) => referenceIndex(shape, out, c)));
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('broadcastStrides is 0 exactly along the broadcast dimensions', () => {
    fc.assert(
      fc.property(compatible, (shapes) => {
        const out = broadcastShapes(...shapes)!;
        for (const shape of shapes) {
          const strides = broadcastStrides(shape, out);
          expect(strides).toHaveLength(out.length);
          out.forEach((d, o) => {
            const i = o - (out.length - shape.length);
            const broadcast = i < 0 || (shape[i] === 1 && d !== 1);
            if (broadcast) expect(strides[o]).toBe(0);
            else expect(strides[o]).toBe(shape.slice(i + 1).reduce((a, b) => a * b, 1));
          });
        }
      }),
      { numRuns: RUNS },
    );
  });
});
