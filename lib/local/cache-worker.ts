/**
 * The source of the in-memory cache service local serving gives the model Workers as their Cache
 * API (workerd's `cacheApiOutbound`): `caches.default` in a model Worker then behaves as at the
 * edge (put, match, expiry by the stored answer's max-age), so `Cache-Status: hit` can be tried and
 * tested locally. Entries live in this Worker's memory for the life of the workerd process.
 *
 * workerd speaks HTTP to the service: `cache.match(key)` arrives as a GET of the key URL (answered
 * with the stored response and `CF-Cache-Status: HIT`, or a 504 `MISS`); `cache.put(key, res)` as a
 * PUT whose body is the response serialized as an HTTP/1.1 message; `cache.delete(key)` as PURGE.
 *
 * Bounded: at most MAX_ENTRIES answers and MAX_BYTES of bodies; the oldest go first.
 */
export const CACHE_MAX_ENTRIES = 2048;
export const CACHE_MAX_BYTES = 64 * 1024 * 1024;

export function cacheWorkerSource(): string {
  return `const MAX_ENTRIES = ${CACHE_MAX_ENTRIES};
const MAX_BYTES = ${CACHE_MAX_BYTES};
const entries = new Map();
let bytes = 0;

const miss = () => new Response(null, { status: 504, headers: { 'cf-cache-status': 'MISS' } });

function remove(key) {
  const e = entries.get(key);
  if (e) { bytes -= e.body.byteLength; entries.delete(key); }
  return e;
}

// "HTTP/1.1 200 OK\\r\\nName: value\\r\\n...\\r\\n\\r\\n<body>" -> { status, headers, body }
function parseMessage(data) {
  let end = -1;
  for (let i = 0; i + 3 < data.length; i++) {
    if (data[i] === 13 && data[i + 1] === 10 && data[i + 2] === 13 && data[i + 3] === 10) { end = i; break; }
  }
  if (end < 0) return undefined;
  const [statusLine, ...lines] = new TextDecoder().decode(data.subarray(0, end)).split('\\r\\n');
  const status = Number(/^HTTP\\/\\d(?:\\.\\d)? (\\d{3})/.exec(statusLine)?.[1]);
  if (!status) return undefined;
  const headers = new Headers();
  for (const line of lines) {
    const at = line.indexOf(':');
    if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  let body = data.subarray(end + 4);
  if ((headers.get('transfer-encoding') || '').toLowerCase().includes('chunked')) {
    body = dechunk(body);
    headers.delete('transfer-encoding');
  }
  return { status, headers, body: body.slice() };
}

function dechunk(data) {
  const parts = [];
  let at = 0;
  for (;;) {
    let eol = at;
    while (eol + 1 < data.length && !(data[eol] === 13 && data[eol + 1] === 10)) eol++;
    const size = parseInt(new TextDecoder().decode(data.subarray(at, eol)), 16);
    if (!(size > 0)) break;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function maxAgeSeconds(cacheControl) {
  if (!cacheControl || /(^|,)\\s*(no-store|private)\\s*(,|$)/i.test(cacheControl)) return 0;
  const m = /(?:^|,)\\s*s-maxage=(\\d+)/i.exec(cacheControl) || /(?:^|,)\\s*max-age=(\\d+)/i.exec(cacheControl);
  return m ? Number(m[1]) : 0;
}

export default {
  async fetch(request) {
    const key = request.url;
    if (request.method === 'GET') {
      const e = entries.get(key);
      if (!e) return miss();
      if (e.expires <= Date.now()) { remove(key); return miss(); }
      const headers = new Headers(e.headers);
      headers.set('cf-cache-status', 'HIT');
      return new Response(e.body.slice(), { status: e.status, headers });
    }
    if (request.method === 'PUT') {
      const message = parseMessage(new Uint8Array(await request.arrayBuffer()));
      const ttl = message ? maxAgeSeconds(message.headers.get('cache-control')) : 0;
      if (!message || ttl <= 0 || message.body.byteLength > MAX_BYTES) return new Response(null, { status: 413 });
      remove(key);
      entries.set(key, { status: message.status, headers: [...message.headers], body: message.body, expires: Date.now() + ttl * 1000 });
      bytes += message.body.byteLength;
      for (const [oldest] of entries) {
        if (entries.size <= MAX_ENTRIES && bytes <= MAX_BYTES) break;
        remove(oldest);
      }
      return new Response(null, { status: 204 });
    }
    if (request.method === 'PURGE') return new Response(null, { status: remove(key) ? 200 : 404 });
    return new Response(null, { status: 405 });
  },
};
`;
}
