/**
 * The source of the small router that fronts the model Workers in local serving, on workerd's one
 * socket. It dispatches /v2/models/{name}... and /v1/models/{name}... (after any prefix, detected
 * as the model Workers do) to the model and answers the server's own routes itself: /v2 and /v2/
 * (server metadata), /v2/health/*, the model lists /v2/models and /v1/models, and / (KServe's
 * liveness, `{"status": "alive"}`, with the models served; for a browser, the one model's playground
 * page, or a list of the models' pages when there are several).
 *
 * Two shapes, one source:
 *  - several models: the router is its own Worker, one service binding per model Worker (each
 *    model keeps its own isolate, as at the edge). Bindings: ROUTES (text: JSON {name: binding}),
 *    SERVER_VERSION, and the service bindings.
 *  - one model: the router is the main module of the model Worker itself and calls the bundle's
 *    `fetch` in the same isolate. A service-binding hop costs a second Worker invocation per
 *    request, which measured 40% of local throughput on a tiny model. The bundle, its modules and
 *    its MODEL_CONFIG binding are unchanged; ROUTES maps the name to "" (no binding).
 */
import { SERVER_EXTENSIONS } from '../../worker/protocol/server';
import { prefersHtml, quality } from '../../worker/playground/negotiation';

export interface RouterSourceOptions {
  /** the module name of the model bundle to call in-process, e.g. "worker.js"; omitted: service bindings */
  readonly inProcessModule?: string;
}

export function routerWorkerSource(options: RouterSourceOptions = {}): string {
  const inProcess = options.inProcessModule;
  const head = inProcess
    ? `import model from ${JSON.stringify(`./${inProcess}`)};
const call = (binding, request, env, ctx) => model.fetch(request, env, ctx);`
    : `const call = (binding, request, env) => env[binding].fetch(request);`;
  return `${head}
const EXTENSIONS = ${JSON.stringify(SERVER_EXTENSIONS)};
const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
// The model Workers' own Accept negotiation (worker/playground/negotiation.ts).
${quality.toString()}
${prefersHtml.toString()}
// ROUTES is constant for the life of the isolate: parse it once.
let routesText, routes;
const VERSIONED = /\\/v[12](?=\\/|$)/;
const MODEL_PATH = /^\\/v[12]\\/models\\/([^/:]+)/;

// The path of the (absolute, already normalized) request URL, read from the string: a URL object
// per request is a call into the runtime that the model route does not need.
function pathOf(url) {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0) return '/';
  let end = url.indexOf('?', start);
  if (end < 0) end = url.length;
  const hash = url.indexOf('#', start);
  return url.slice(start, hash >= 0 && hash < end ? hash : end);
}

export default {
  // Not async: a model request hands back the model's own promise.
  fetch: route,
};

function route(request, env, ctx) {
  if (env.ROUTES !== routesText) {
    routes = JSON.parse(env.ROUTES);
    routesText = env.ROUTES;
  }
  const pathname = pathOf(request.url);
  const at = pathname.search(VERSIONED);
  const path = at >= 0 ? pathname.slice(at) : pathname;
  const model = MODEL_PATH.exec(path);
  if (model) {
    const binding = Object.prototype.hasOwnProperty.call(routes, model[1]) ? routes[model[1]] : undefined;
    if (binding === undefined) return json({ error: 'unknown model "' + printable(model[1], 64) + '"; this server has ' + Object.keys(routes).join(', ') }, 404);
    return call(binding, request, env, ctx);
  }
  return serverRoute(request, env, ctx, pathname, path);
}

async function serverRoute(request, env, ctx, pathname, path) {
  const url = new URL(request.url);
  const names = Object.keys(routes);
  if (path === '/v2/health/live') return json({ live: true });
  if (path === '/v2/health/ready') {
    const answers = await Promise.all(Object.values(routes).map((b) => call(b, new Request(new URL('/v2/health/ready', url)), env, ctx)));
    const ready = answers.every((r) => r.ok);
    return json({ ready }, ready ? 200 : 503);
  }
  if (path === '/v2' || path === '/v2/') return json({ name: 'model-edge', version: env.SERVER_VERSION, extensions: EXTENSIONS });
  if (path === '/v2/models' || path === '/v1/models') return json({ models: names });
  if (pathname === '/' && prefersHtml(request.headers.get('accept'))) {
    return names.length === 1 ? call(routes[names[0]], request, env, ctx) : modelList(names);
  }
  if (pathname === '/') {
    return json({ status: 'alive', models: names.map((name) => ({ name, metadata: new URL('/v2/models/' + name, url).href, infer: new URL('/v2/models/' + name + '/infer', url).href, openapi: new URL('/v2/models/' + name + '/openapi.json', url).href })) });
  }
  return json({ error: 'no endpoint at ' + printable(request.method, 16) + ' "' + printable(pathname, 128) + '"; see GET / for the models served here' }, 404);
}

// Links to each model's playground (names are plain: letters, digits, '.', '_', '-').
function modelList(names) {
  const items = names.map((n) => '<li><a href="/v2/models/' + n + '/playground">' + n + '</a> (<a href="/v2/models/' + n + '/openapi.json">OpenAPI</a>)</li>').join('');
  return new Response('<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>model-edge</title></head><body><h1>Models</h1><ul>' + items + '</ul></body></html>', {
    headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'", vary: 'Accept' },
  });
}

// Client text shown in an error: printable ASCII only, cut to max (as the model Workers do).
function printable(text, max) {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > max ? clean.slice(0, max) + '...' : clean;
}
`;
}

/** The router as its own Worker over service bindings. */
export const ROUTER_WORKER_SOURCE = routerWorkerSource();
