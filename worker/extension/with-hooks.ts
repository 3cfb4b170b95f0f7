/**
 * Runs a team's hooks around the Worker app's inference endpoints, outside the app: the request is
 * authenticated by the app first (a `ready` probe with the caller's headers), the body is read by the
 * app's JSON body reader within the configured byte limit, `beforeInference` rewrites it, the app answers, and `afterInference`
 * rewrites a 200 answer. Every other request goes to the app untouched.
 */
import { HonoRequest } from 'hono/request';
import { parseModelConfig, type ModelConfig } from '../env';
import { readRequestBody } from '../http/request-body';
import { parseJsonPart } from '../protocol/request-body';
import { RequestError } from '../protocol/request-error';
import type { EdgeHooks, HookContext, HookError } from './hooks';

type Fetch = (request: Request, env: Record<string, unknown>, ctx: unknown) => Response | Promise<Response>;

const INFER_PATH = /^(.*)\/v2\/models\/([^/]+)(\/versions\/[^/]+)?\/infer$/;
const PREDICT_PATH = /^(.*)\/v1\/models\/([^/:]+):predict$/;

export function withHooks(fetch: Fetch, hooks: EdgeHooks): { fetch: Fetch } {
  return {
    async fetch(request, env, ctx) {
      const route = request.method === 'POST' ? inferenceRoute(new URL(request.url)) : undefined;
      let config: ModelConfig;
      try {
        config = parseModelConfig(env.MODEL_CONFIG as string | undefined);
      } catch {
        return fetch(request, env, ctx); // the app answers a broken deployment
      }
      if (!route || (!hooks.beforeInference && !hooks.afterInference)) return fetch(request, env, ctx);

      // The app decides who may call (and whether the model exists) before any hook runs.
      const probe = await fetch(new Request(route.readyUrl, { headers: request.headers }), env, ctx);
      if (!probe.ok) return probe;

      // The app's own body reader: the same limit, content type and JSON rules as without hooks.
      let body: unknown;
      try {
        const raw = await readRequestBody(new HonoRequest(request), config.limits.maxBodyBytes);
        if (raw.binary) {
          throw new RequestError(415, "this deployment's hooks read JSON requests; send the inputs as JSON, without Inference-Header-Content-Length");
        }
        body = parseJsonPart(raw);
      } catch (e) {
        if (e instanceof RequestError) return errorResponse(e.status, e.message);
        throw e;
      }
      const context: HookContext = { env, request, protocol: route.protocol, model: { name: config.name, version: config.version } };
      try {
        const input = hooks.beforeInference ? await hooks.beforeInference(body, context) : body;
        const headers = new Headers(request.headers);
        headers.delete('content-length');
        headers.set('content-type', 'application/json');
        const response = await fetch(new Request(request.url, { method: 'POST', headers, body: JSON.stringify(input) }), env, ctx);
        // Binary answers (binary_data_output) go back as they are: the hooks see JSON only.
        if (!hooks.afterInference || response.status !== 200 || !response.headers.get('content-type')?.startsWith('application/json')) return response;
        const answer = await hooks.afterInference(await response.json(), context);
        const out = new Headers(response.headers);
        out.delete('content-length');
        return new Response(JSON.stringify(answer), { status: 200, headers: out });
      } catch (e) {
        if (isHookError(e)) return errorResponse(e.status, e.message);
        console.error(JSON.stringify({ level: 'error', message: 'a deployment hook failed', error: e instanceof Error ? e.message : String(e) }));
        return errorResponse(500, 'the deployment\'s hooks failed');
      }
    },
  };
}

function inferenceRoute(url: URL): { protocol: 'v1' | 'v2'; readyUrl: string } | undefined {
  const v2 = INFER_PATH.exec(url.pathname);
  if (v2) return { protocol: 'v2', readyUrl: new URL(`${v2[1]}/v2/models/${v2[2]}${v2[3] ?? ''}/ready`, url).href };
  const v1 = PREDICT_PATH.exec(url.pathname);
  if (v1) return { protocol: 'v1', readyUrl: new URL(`${v1[1]}/v2/models/${v1[2]}/ready`, url).href };
  return undefined;
}

/** By shape, not instanceof: the hooks module may import its own copy of HookError. */
function isHookError(e: unknown): e is HookError {
  const x = e as Partial<HookError> | null;
  return typeof x === 'object' && x !== null && x.name === 'HookError' && typeof x.status === 'number' && x.status >= 400 && x.status < 500 && typeof x.message === 'string';
}

function errorResponse(status: number, error: string): Response {
  return new Response(JSON.stringify({ error }), { status, headers: { 'content-type': 'application/json' } });
}
