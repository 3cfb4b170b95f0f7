/**
 * The playground page: static HTML around the page script (page-script.ts), with the model's name,
 * the API's base path and whether keys are on in a JSON data block. The page holds nothing the
 * metadata route would refuse without a key: the script fetches the signature itself, with the key
 * the user enters.
 *
 * Content-Security-Policy: nothing but this page's own inline script and style (admitted by their
 * SHA-256, computed once per isolate) and requests to its own origin; no frames, forms, plugins or
 * base-URL changes.
 */
import { PAGE_SCRIPT } from './page-script';

const STYLE = `body{font:15px/1.4 system-ui,sans-serif;margin:0 auto;max-width:64rem;padding:1rem;color:#222}
header{display:flex;gap:1rem;align-items:baseline;flex-wrap:wrap}h1{font-size:1.4rem;margin:0}
main{display:grid;grid-template-columns:1fr 1fr;gap:1rem}@media(max-width:48rem){main{grid-template-columns:1fr}}
fieldset{border:1px solid #ccc;margin:0 0 .8rem}textarea{width:100%;box-sizing:border-box;font:12px monospace}
.pad{display:block;width:280px;height:280px;touch-action:none;cursor:crosshair;margin-bottom:.4rem}
button{font:inherit;padding:.3rem .9rem}pre{background:#f4f4f4;padding:.6rem;overflow:auto;max-height:24rem;font-size:12px;white-space:pre-wrap;word-break:break-all}
.row{display:grid;grid-template-columns:7rem 1fr 5rem;gap:.5rem;align-items:center}.row meter{width:100%}.top{font-weight:bold}.label{overflow:hidden;text-overflow:ellipsis}
.error,#note{color:#b00}h2{font-size:1.2rem}h3{margin:.4rem 0}`;

export interface PageOptions {
  readonly name: string;
  /** The path the API is mounted under ('' at the root, '/models/digits' under a route prefix). */
  readonly base: string;
  /** API keys are required: the page shows a key field. */
  readonly keys: boolean;
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function playgroundHtml(options: PageOptions): string {
  const name = options.name; // MODEL_NAME_PATTERN: letters, digits, '.', '_', '-' only
  const api = `${options.base}/v2/models/${name}`;
  const key = options.keys ? '<label>API key <input id="key" type="password" autocomplete="off" size="32"></label>' : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,"><title>${name} · model-edge</title><style>${STYLE}</style></head><body>
<header><h1>${name}</h1><a href="${api}">metadata</a><a href="${api}/openapi.json">OpenAPI</a>${key}<button id="load" type="button">Load</button></header>
<p id="note"></p><main><div><div id="form"></div><button id="send" type="button" disabled>Send</button></div>
<div><h2>Answer</h2><div id="out"></div><h3>JSON</h3><pre id="raw"></pre></div></main>
<h3>Request as curl</h3><pre id="curl"></pre>
<script type="application/json" id="cfg">${scriptJson(options)}</script><script>${PAGE_SCRIPT}</script></body></html>`;
}

let policy: Promise<string> | undefined;

/** The page's Content-Security-Policy (hashes computed on first use). */
export function playgroundPolicy(): Promise<string> {
  policy ??= Promise.all([sha256Base64(PAGE_SCRIPT), sha256Base64(STYLE)]).then(
    ([script, style]) =>
      `default-src 'none'; script-src 'sha256-${script}'; style-src 'sha256-${style}'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  );
  return policy;
}

async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let binary = '';
  for (const b of digest) binary += String.fromCharCode(b);
  return btoa(binary);
}
