/**
 * The Worker's HTTP app: the Open Inference Protocol (KServe V2, with Triton's binary tensor data
 * extension) and KServe V1 over one compiled model, plus KServe's liveness at `/` and the model
 * lists, the model's OpenAPI document (routes/openapi.ts) and the playground page a browser gets
 * at `/` (routes/playground.ts).
 *
 * Every path is one Hono handler (routes/endpoint.ts) wrapped in the request context
 * (http/request-context.ts): request id/timing/log line, then, for every route but liveness,
 * MODEL_CONFIG -> CORS (answers preflights) -> API key -> X-Model-Version, then the route's handler;
 * inference is one flat handler per endpoint (routes/inference.ts) over a protocol object
 * (protocol/v2-inference.ts, protocol/v1-inference.ts). The model itself loads lazily
 * (see http/model.ts) once per isolate.
 *
 * Path prefix: with MODEL_CONFIG.pathPrefix ("/models" for a route `api.example.com/models/*`),
 * requests under it have it removed and other paths are routed unchanged. Without it, everything
 * before the first `/v1/` or `/v2` segment is ignored, so any route pattern works unconfigured.
 */
import { Hono } from 'hono';
import { getPath } from 'hono/utils/url';
import type { AppEnv, LogSink } from './http/types';
import { requestContext } from './http/request-context';
import { tryConfigOf } from './http/model-config';
import { modelLoader } from './http/model';
import { notFound, onError } from './http/error-handler';
import { v2Routes } from './routes/v2';
import { v1Routes } from './routes/v1';
import { MemoRouter } from './routes/memo-router';
import { endpoints } from './routes/endpoint';
import { openApiRoutes } from './routes/openapi';
import { playgroundRoutes } from './routes/playground';
import type { Env } from './env';
import type { KernelLookup } from './runtime/kernel-set';

export interface AppOptions {
  /** The compiled model (the Worker's `model.bin` data module). */
  readonly artifact: ArrayBuffer;
  /** The precompiled WebAssembly kernels; the runtime falls back to JavaScript without them. */
  readonly wasm?: WebAssembly.Module;
  /** The kernels the model's nodes bind to: in a deployed Worker, only those its graph uses. */
  readonly kernels: KernelLookup;
  /** Where the per-request JSON log lines go. @default console.log */
  readonly log?: LogSink;
}

export function createApp(options: AppOptions) {
  const app = new Hono<AppEnv>({
    router: new MemoRouter(),
    getPath: (request, opts) => routePath(getPath(request), tryConfigOf((opts?.env as Env | undefined)?.MODEL_CONFIG)?.pathPrefix),
  });
  const loader = modelLoader(options);

  const withContext = requestContext({ log: options.log });
  const endpoint = endpoints(app, withContext);
  v2Routes(endpoint, loader);
  v1Routes(endpoint, loader);
  openApiRoutes(endpoint, loader);
  playgroundRoutes(endpoint);
  app.notFound(withContext(notFound));
  // Errors are answered inside the request context; this is the backstop for anything outside it.
  app.onError((err, c) => onError(err, c));
  // The loader reads the weights shards through the env's bindings, which only requests carry.
  const fetch = app.fetch;
  app.fetch = (request, env, ctx) => {
    loader.useEnv(env);
    return fetch(request, env, ctx);
  };
  return app;
}

/** The path the routes see: see the module comment on prefixes. */
export function routePath(path: string, pathPrefix: string | undefined): string {
  if (pathPrefix) {
    if (path === pathPrefix) return '/';
    return path.startsWith(`${pathPrefix}/`) ? path.slice(pathPrefix.length) : path;
  }
  const at = path.search(/\/v[12](?=\/|$)/);
  return at > 0 ? path.slice(at) : path;
}
