/**
 * Open Inference Protocol (KServe V2) endpoints, plus the server's own: GET / (KServe's liveness,
 * `{"status": "alive"}`, with this Worker's model) and the model list at GET /v2/models.
 */
import { configOfState, type AppContext } from '../http/types';
import type { ModelLoader } from '../http/model';
import { v2Inference } from '../protocol/v2-inference';
import { SERVER_EXTENSIONS, SERVER_NAME, SERVER_VERSION } from '../protocol/server';
import type { Register } from './endpoint';
import { checkModelRoute, loadedModel } from './model-route';
import { inferenceHandler } from './inference';
import { modelTensors } from './model-tensors';
import { playgroundPage } from './playground';
import { playgroundOn, prefersHtml } from '../playground/negotiation';

export function v2Routes(endpoint: Register, loader: ModelLoader): void {
  endpoint('/v2/health/live', { GET: function live(c) { return c.json({ live: true }); } });
  endpoint('/v2/health/ready', {
    GET: async function ready(c, state) {
      try {
        await loader();
      } catch (err) {
        state.fault = err;
        return c.json({ ready: false, error: 'the model failed to load; see the Worker logs' }, 503);
      }
      return c.json({ ready: true });
    },
  });
  const serverMetadata = (c: AppContext) => c.json({ name: SERVER_NAME, version: SERVER_VERSION, extensions: SERVER_EXTENSIONS });
  endpoint('/v2', { GET: serverMetadata });
  endpoint('/v2/', { GET: serverMetadata });
  endpoint('/v2/models', { GET: (c, state) => c.json({ models: [configOfState(state).name] }) });
  endpoint('/', {
    GET: function alive(c, state) {
      const config = configOfState(state);
      // Browsers get the playground; every other client the JSON list (see negotiation.ts).
      if (playgroundOn(config) && prefersHtml(c.req.header('accept'))) return playgroundPage(c, config);
      const name = config.name;
      const base = new URL(c.req.url);
      const at = (path: string) => new URL(`${base.pathname.replace(/\/$/, '')}${path}`, base).href;
      const links = { name, metadata: at(`/v2/models/${name}`), infer: at(`/v2/models/${name}/infer`), openapi: at(`/v2/models/${name}/openapi.json`) };
      const playground = playgroundOn(config) ? { playground: at(`/v2/models/${name}/playground`) } : {};
      return c.json({ status: 'alive', models: [{ ...links, ...playground }] }, 200, { Vary: 'Accept' });
    },
  });

  const infer = inferenceHandler(loader, v2Inference);
  for (const base of ['/v2/models/:name', '/v2/models/:name/versions/:version']) {
    endpoint(base, {
      GET: async function metadata(c, state) {
        const config = configOfState(state);
        checkModelRoute(c, config);
        const model = await loadedModel(loader, state);
        return c.json({
          name: config.name,
          versions: config.versions,
          platform: config.platform,
          ...modelTensors(model),
        });
      },
    });
    endpoint(`${base}/ready`, {
      GET: async function modelReady(c: AppContext, state) {
        const config = configOfState(state);
        checkModelRoute(c, config);
        await loadedModel(loader, state);
        return c.json({ name: config.name, ready: true });
      },
    });
    endpoint(`${base}/infer`, { POST: infer });
  }
}
