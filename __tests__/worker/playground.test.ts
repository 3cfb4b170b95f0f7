/**
 * The playground page as the Worker serves it: HTML at / only for clients that prefer it (stock
 * clients keep the JSON list), the per-model page, a strict Content-Security-Policy that admits
 * exactly the page's own inline script and style by hash, no external URL, no key needed for the
 * page (but still for the model's data), and nothing at all with `playground: false`.
 * (The page working in a real browser is __tests__/browser.)
 */
import { createHash } from 'crypto';
import { harness } from './support/app-harness';
import { prefersHtml } from '../../worker/playground/negotiation';
import { PAGE_SCRIPT } from '../../worker/playground/page-script';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const KEY = 'playground-key';
const KEY_SHA256 = createHash('sha256').update(KEY).digest('hex');
const sha256Base64 = (text: string) => createHash('sha256').update(text).digest('base64');
const inline = (html: string, tag: 'script' | 'style') => [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]);

describe('Accept negotiation', () => {
  it.each([
    [BROWSER, true],
    ['text/html', true],
    ['*/*', false],
    [undefined, false],
    ['application/json', false],
    ['application/json, text/html', false],
    ['text/html;q=0.5, application/json;q=0.9', false],
    ['text/html;q=0', false],
  ])('Accept %p prefers HTML: %p', (accept, html) => {
    expect(prefersHtml(accept)).toBe(html);
  });
});

describe('the playground page', () => {
  it('is what a browser gets at /, with a CSP that admits only its own inline script and style', async () => {
    const res = await harness('multi').request('/', { headers: { accept: BROWSER } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('vary')).toContain('Accept');
    const html = await res.text();
    const csp = res.headers.get('content-security-policy') as string;
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    const scripts = inline(html, 'script');
    expect(scripts).toEqual([PAGE_SCRIPT]);
    expect(csp).toContain(`script-src 'sha256-${sha256Base64(scripts[0])}'`);
    expect(csp).toContain(`style-src 'sha256-${sha256Base64(inline(html, 'style')[0])}'`);
    // No external fetches: no absolute URL anywhere in the page.
    expect(html).not.toMatch(/(https?:)?\/\/[a-z]/i);
    expect(html).toContain('<script type="application/json" id="cfg">{"name":"multi","base":"","keys":false}</script>');
    // The script is valid JavaScript.
    expect(() => new Function(PAGE_SCRIPT)).not.toThrow();
  });

  it('leaves stock clients the JSON list at /, with links to the OpenAPI document and the page', async () => {
    for (const accept of ['*/*', 'application/json', undefined]) {
      const res = await harness('multi').request('/', accept ? { headers: { accept } } : undefined);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('vary')).toContain('Accept');
      const body = await res.json();
      expect(body.status).toBe('alive');
      expect(body.models[0]).toMatchObject({ name: 'multi', openapi: 'http://localhost/v2/models/multi/openapi.json', playground: 'http://localhost/v2/models/multi/playground' });
    }
  });

  it('is served per model, under the path prefix', async () => {
    const h = harness('multi', { pathPrefix: '/models/multi' });
    const res = await h.request('https://api.example.com/models/multi/v2/models/multi/playground');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('{"name":"multi","base":"/models/multi","keys":false}');
    expect((await h.request('/v2/models/other/playground')).status).toBe(404);
  });

  it('needs no key itself when keys are on, shows a key field, and the model still needs the key', async () => {
    const h = harness('multi', { auth: { keySha256: [KEY_SHA256] } });
    const page = await h.request('/', { headers: { accept: BROWSER } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('id="key"');
    expect(html).toContain('"keys":true');
    expect((await h.request('/v2/models/multi/playground')).status).toBe(200);
    expect((await h.request('/', { headers: { accept: 'application/json' } })).status).toBe(401);
    expect((await h.request('/v2/models/multi')).status).toBe(401);
    expect((await h.request('/v2/models/multi', { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(200);
  });

  it('is off with playground: false: JSON at / and a 404 that names the setting', async () => {
    const h = harness('multi', { playground: false });
    const root = await h.request('/', { headers: { accept: BROWSER } });
    expect(root.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await root.json()).models[0].playground).toBeUndefined();
    const page = await h.request('/v2/models/multi/playground');
    expect(page.status).toBe(404);
    expect((await page.json()).error).toContain('"playground": false');
    const keyed = harness('multi', { playground: false, auth: { keySha256: [KEY_SHA256] } });
    expect((await keyed.request('/v2/models/multi/playground')).status).toBe(401);
    expect((await keyed.request('/', { headers: { accept: BROWSER } })).status).toBe(401);
  });
});
