/** Request ids drawn from a pool of random bytes: version-4 UUIDs, distinct across pool refills. */
import { randomRequestId } from '../../worker/http/request-id';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

it('produces version-4 UUIDs (version and variant bits set)', () => {
  for (let i = 0; i < 600; i++) expect(randomRequestId()).toMatch(UUID_V4);
});

it('never repeats an id, also across refills of the pool', () => {
  const ids = new Set<string>();
  for (let i = 0; i < 2000; i++) ids.add(randomRequestId());
  expect(ids.size).toBe(2000);
});

it('draws fresh random bytes when the pool runs out', () => {
  const spy = jest.spyOn(crypto, 'getRandomValues');
  try {
    for (let i = 0; i < 512; i++) randomRequestId();
    expect(spy.mock.calls.length).toBeGreaterThanOrEqual(2);
  } finally {
    spy.mockRestore();
  }
});
