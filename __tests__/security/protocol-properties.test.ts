/**
 * Properties of the request tensor reader (worker/protocol): flat and nested data are the same
 * tensor, any mismatch is a 400 (a RequestError, never another error), and no JSON value makes
 * the reader throw anything else. The per-request bounds hold for any shape.
 */
import fc from 'fast-check';
import { RequestError } from '../../worker/protocol/request-error';
import { checkShape, readTensor } from '../../worker/protocol/tensor-data';
import { flatJson, nest, type JsonValue } from '../../worker/protocol/tensor-json';
import type { Datatype } from '../../worker/protocol/datatypes';
import { roundToFloat16 } from '../../worker/runtime/tensor';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const shapeArb = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 });
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Element generators whose values every datatype accepts exactly. */
const ELEMENTS: Record<Datatype, fc.Arbitrary<JsonValue>> = {
  BOOL: fc.boolean(),
  BYTES: fc.string({ maxLength: 8 }),
  FP16: fc.double({ min: -65504, max: 65504, noNaN: true }),
  FP32: fc.float({ noNaN: true, noDefaultInfinity: true }).map((f) => (Object.is(f, -0) ? 0 : f)),
  FP64: fc.double({ noNaN: true, noDefaultInfinity: true }),
  INT8: fc.integer({ min: -128, max: 127 }),
  INT16: fc.integer({ min: -32768, max: 32767 }),
  INT32: fc.integer({ min: -2147483648, max: 2147483647 }),
  INT64: fc.maxSafeInteger(),
  UINT8: fc.integer({ min: 0, max: 255 }),
  UINT16: fc.integer({ min: 0, max: 65535 }),
  UINT32: fc.integer({ min: 0, max: 4294967295 }),
  UINT64: fc.maxSafeNat(),
};
const datatypeArb = fc.constantFrom(...(Object.keys(ELEMENTS) as Datatype[]));

/** A datatype, a shape and flat data of exactly that shape. */
const tensorCase = fc.tuple(datatypeArb, shapeArb).chain(([datatype, shape]) =>
  fc.record({
    datatype: fc.constant(datatype),
    shape: fc.constant(shape),
    flat: fc.array(ELEMENTS[datatype], { minLength: size(shape), maxLength: size(shape) }),
  }),
);

function expected(datatype: Datatype, v: JsonValue): unknown {
  if (datatype === 'BOOL') return v ? 1 : 0;
  if (datatype === 'INT64' || datatype === 'UINT64') return BigInt(v as number);
  if (datatype === 'FP16') return roundToFloat16(v as number);
  if (datatype === 'FP32') return Math.fround(v as number);
  return v;
}

function rejectsWith400(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (e) {
    if (e instanceof RequestError && e.status === 400) return true;
    throw e;
  }
}

describe('readTensor (property)', () => {
  it('reads flat and nested row-major data as the same tensor, element by element', () => {
    fc.assert(
      fc.property(tensorCase, ({ datatype, shape, flat }) => {
        const fromFlat = readTensor(flat, shape, datatype, 'input "t"');
        expect(fromFlat.shape).toEqual(shape);
        expect(Array.from(fromFlat.data as ArrayLike<unknown>)).toEqual(flat.map((v) => expected(datatype, v)));
        if (shape.length >= 2 && size(shape) > 0) {
          const fromNested = readTensor(nest(flat, shape), shape, datatype, 'input "t"');
          expect(Array.from(fromNested.data as ArrayLike<unknown>)).toEqual(Array.from(fromFlat.data as ArrayLike<unknown>));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('round-trips through the response encoder: nest(flatJson(t), shape) is the nested request', () => {
    fc.assert(
      fc.property(tensorCase.filter((c) => c.datatype === 'FP64' || c.datatype === 'BOOL' || c.datatype === 'BYTES' || c.datatype === 'INT32'), ({ datatype, shape, flat }) => {
        const t = readTensor(flat, shape, datatype, 'input "t"');
        expect(nest(flatJson(t), shape)).toEqual(nest(flat, shape));
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects nested data with one row too short or too long, naming the position', () => {
    const cases = tensorCase.filter((c) => c.shape.length >= 2 && size(c.shape) > 0);
    fc.assert(
      fc.property(cases, fc.boolean(), fc.nat(), ({ datatype, shape, flat }, grow, pick) => {
        const nested = nest(flat, shape) as JsonValue[];
        // walk to a random innermost row and change its length
        let row = nested as JsonValue[];
        for (let d = 0; d < shape.length - 1; d++) row = row[pick % row.length] as JsonValue[];
        if (grow) row.push(row[0] ?? 0);
        else row.pop();
        expect(rejectsWith400(() => readTensor(nested, shape, datatype, 'input "t"'))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects flat data whose length differs from the shape', () => {
    fc.assert(
      fc.property(tensorCase, fc.integer({ min: -3, max: 3 }).filter((d) => d !== 0), ({ datatype, shape, flat }, delta) => {
        const data = delta > 0 ? [...flat, ...new Array(delta).fill(flat[0] ?? 0)] : flat.slice(0, Math.max(0, flat.length + delta));
        fc.pre(data.length !== flat.length && !(data.length > 0 && Array.isArray(data[0])));
        expect(rejectsWith400(() => readTensor(data, shape, datatype, 'input "t"'))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers any JSON value as data with a tensor or a 400, never another error', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), datatypeArb, shapeArb, (data, datatype, shape) => {
        try {
          readTensor(data, shape, datatype, 'input "t"');
        } catch (e) {
          expect(e).toBeInstanceOf(RequestError);
          expect((e as RequestError).status).toBe(400);
          expect((e as Error).message.length).toBeLessThan(600);
        }
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('rejects elements outside the datatype, whatever their position', () => {
    const outside: Array<[Datatype, fc.Arbitrary<unknown>]> = [
      ['INT8', fc.oneof(fc.integer({ min: 128, max: 1e6 }), fc.integer({ min: -1e6, max: -129 }))],
      ['UINT8', fc.integer({ min: -1e6, max: -1 })],
      ['INT32', fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 0.5)],
      ['INT64', fc.constantFrom(2 ** 53, -(2 ** 53), 1.5, '1')],
      ['FP16', fc.double({ min: 65505, max: 1e300, noNaN: true })],
      ['FP32', fc.constantFrom(1e39, -1e39, Infinity, NaN, '1', null)],
      ['BOOL', fc.constantFrom(0, 1, 'true', null)],
      ['BYTES', fc.constantFrom(1, null, true, {})],
    ];
    for (const [datatype, bad] of outside) {
      fc.assert(
        fc.property(fc.array(ELEMENTS[datatype], { minLength: 1, maxLength: 12 }), bad, fc.nat(), (flat, value, at) => {
          const data: unknown[] = flat.slice();
          data[at % data.length] = value;
          expect(rejectsWith400(() => readTensor(data, [data.length], datatype, 'input "t"'))).toBe(true);
        }),
        { numRuns: Math.ceil(RUNS / 4) },
      );
    }
  });
});

describe('checkShape (property)', () => {
  it('accepts exactly the shapes of non-negative safe integers within the element limit, and returns their size', () => {
    const dim = fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: -5, max: -1 }), fc.constantFrom(1.5, 2 ** 53, 1e12, NaN, Infinity));
    fc.assert(
      fc.property(fc.array(dim, { maxLength: 20 }), fc.integer({ min: 1, max: 10_000 }), (shape, max) => {
        const valid = shape.length <= 16 && shape.every((d) => Number.isSafeInteger(d) && d >= 0);
        // The limit is checked on the running product, as the reader allocates that much.
        let running = 1;
        let withinLimit = true;
        for (const d of shape) {
          running *= d;
          if (running > max) withinLimit = false;
        }
        if (valid && withinLimit) expect(checkShape(shape, max, 'input "t"')).toBe(size(shape));
        else expect(rejectsWith400(() => checkShape(shape, max, 'input "t"'))).toBe(true);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('refuses anything that is not an array of numbers with a 400', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }).filter((v) => !Array.isArray(v) || v.some((d) => typeof d !== 'number')), (shape) => {
        expect(rejectsWith400(() => checkShape(shape, 1000, 'input "t"'))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
