/** The app's router: the TrieRouter's answers, remembered per (method, path), bounded. */
import { TrieRouter } from 'hono/router/trie-router';
import { MemoRouter } from '../../worker/routes/memo-router';

const ROUTES: Array<[string, string]> = [
  ['ALL', '*'],
  ['POST', '/v2/models/:name/infer'],
  ['ALL', '/v2/models/:name/infer'],
  ['GET', '/v2/models/:name/versions/:version'],
  ['POST', '/v1/models/:nameVerb{[^/]+:predict}'],
  ['POST', '/v1/models/:name/versions/:versionVerb{[^/]+:predict}'],
];

function both() {
  const memo = new MemoRouter<string>();
  const trie = new TrieRouter<string>();
  for (const [m, p] of ROUTES) {
    memo.add(m, p, `${m} ${p}`);
    trie.add(m, p, `${m} ${p}`);
  }
  return { memo, trie };
}

const PROBES: Array<[string, string]> = [
  ['POST', '/v2/models/tiny/infer'],
  ['GET', '/v2/models/tiny/infer'],
  ['GET', '/v2/models/a/versions/7'],
  ['POST', '/v1/models/m:predict'],
  ['POST', '/v1/models/m/versions/3:predict'],
  ['POST', '/nowhere'],
];

it('answers exactly what the TrieRouter answers, the first time and from memory', () => {
  const { memo, trie } = both();
  for (const round of [1, 2]) {
    for (const [m, p] of PROBES) expect([round, m, p, memo.match(m, p)]).toEqual([round, m, p, trie.match(m, p)]);
  }
});

it('keeps params per path apart', () => {
  const { memo } = both();
  const name = (p: string) => (memo.match('POST', p)[0] as Array<[string, Record<string, string>]>).find(([h]) => h.startsWith('POST /v2'))![1].name;
  expect(name('/v2/models/a/infer')).toBe('a');
  expect(name('/v2/models/b/infer')).toBe('b');
  expect(name('/v2/models/a/infer')).toBe('a');
});

it('forgets remembered answers when a route is added', () => {
  const { memo } = both();
  expect(memo.match('GET', '/extra')[0].map(([h]) => h)).toEqual(['ALL *']);
  memo.add('GET', '/extra', 'GET /extra');
  expect(memo.match('GET', '/extra')[0].map(([h]) => h)).toEqual(['ALL *', 'GET /extra']);
});

it('stays correct past its size bound (endless distinct paths)', () => {
  const { memo, trie } = both();
  for (let i = 0; i < 2000; i++) {
    const p = `/v2/models/m${i}/infer`;
    expect(memo.match('POST', p)).toEqual(trie.match('POST', p));
  }
  expect(memo.match('POST', '/v2/models/m3/infer')).toEqual(trie.match('POST', '/v2/models/m3/infer'));
});
