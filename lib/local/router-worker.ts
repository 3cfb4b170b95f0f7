/**
 * The source of the small router Worker that fronts the model Workers in local serving: one
 * workerd socket, one Worker per model behind service bindings. It dispatches
 * /v2/models/{name}... and /v1/models/{name}... (after any prefix, detected as the model Workers
 * do) to the model's Worker and answers /v2, /v2/health/* and / itself.
 *
 * Bindings: ROUTES (text: JSON {name: bindingName}) and one service binding per model.
 */
export const ROUTER_WORKER_SOURCE = String.raw`
const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export default {
  async fetch(request, env) {
    const routes = JSON.parse(env.ROUTES);
    const url = new URL(request.url);
    const at = url.pathname.search(/\/v[12](?=\/|$)/);
    const path = at >= 0 ? url.pathname.slice(at) : url.pathname;
    const model = /^\/v[12]\/models\/([^/:]+)/.exec(path);
    if (model) {
      const binding = Object.prototype.hasOwnProperty.call(routes, model[1]) ? routes[model[1]] : undefined;
      if (!binding) return json({ error: 'unknown model ' + JSON.stringify(model[1].slice(0, 64)) + '; this server has ' + Object.keys(routes).join(', ') }, 404);
      return env[binding].fetch(request);
    }
    if (path === '/v2/health/live') return json({ live: true });
    if (path === '/v2/health/ready') {
      const answers = await Promise.all(Object.values(routes).map((b) => env[b].fetch(new Request(new URL('/v2/health/ready', url)))));
      const ready = answers.every((r) => r.ok);
      return json({ ready }, ready ? 200 : 503);
    }
    if (path === '/v2') return json({ name: 'model-edge', version: env.SERVER_VERSION, extensions: [] });
    if (url.pathname === '/') {
      return json({ models: Object.keys(routes).map((name) => ({ name, metadata: new URL('/v2/models/' + name, url).href, infer: new URL('/v2/models/' + name + '/infer', url).href })) });
    }
    return json({ error: 'no endpoint at ' + request.method + ' ' + JSON.stringify(url.pathname.slice(0, 128)) + '; see GET / for the models served here' }, 404);
  },
};
`;
