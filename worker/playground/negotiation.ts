/**
 * When a request gets the playground page rather than JSON, and whether it may skip the API key.
 *
 * HTML only when the client names text/html and ranks it above application/json: browsers do
 * (`text/html,...,*\/*;q=0.8`), while curl, fetch and HTTP libraries send `*\/*` or
 * `application/json` and keep getting JSON.
 */
import type { ModelConfig } from '../env';

const PLAYGROUND_PATH = /^\/v2\/models\/[^/]+\/playground$/;

/**
 * The q-value the Accept header gives one exact media type (0 when it is not named). Plain
 * JavaScript with no imports: the local router embeds this function's source.
 */
export function quality(accept: string, type: string): number {
  for (const part of accept.toLowerCase().split(',')) {
    const [media, ...params] = part.split(';').map((p) => p.trim());
    if (media !== type) continue;
    const q = params.find((p) => p.startsWith('q='));
    const value = q === undefined ? 1 : Number(q.slice(2));
    return Number.isFinite(value) ? value : 0;
  }
  return 0;
}

export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const html = quality(accept, 'text/html');
  return html > 0 && html > quality(accept, 'application/json');
}

export function playgroundOn(config: ModelConfig): boolean {
  return config.playground !== false;
}

/**
 * The page itself needs no key: it holds no model data (its script fetches the signature with the
 * key the user types), and a browser cannot send a key header when it navigates.
 */
export function isPlaygroundPage(method: string, path: string, accept: string | undefined, config: ModelConfig): boolean {
  if ((method !== 'GET' && method !== 'HEAD') || !playgroundOn(config)) return false;
  return PLAYGROUND_PATH.test(path) || (path === '/' && prefersHtml(accept));
}
