/**
 * GET /v2/models/{name}/openapi.json (and under /versions/{version}): this model's OpenAPI 3.1
 * document, built from the loaded artifact's signature (see openapi/document.ts), with this
 * request's origin and path prefix as the server.
 */
import { configOfState } from '../http/types';
import { keysConfigured } from '../http/api-key';
import type { ModelLoader } from '../http/model';
import { openApiDocument } from '../openapi/document';
import { playgroundOn } from '../playground/negotiation';
import type { Register } from './endpoint';
import { basePath } from './base-path';
import { checkModelRoute, loadedModel } from './model-route';
import { modelTensors } from './model-tensors';

export function openApiRoutes(endpoint: Register, loader: ModelLoader): void {
  for (const base of ['/v2/models/:name', '/v2/models/:name/versions/:version']) {
    endpoint(`${base}/openapi.json`, {
      GET: async function openapi(c, state) {
        const config = configOfState(state);
        checkModelRoute(c, config);
        const model = await loadedModel(loader, state);
        const document = openApiDocument({
          name: config.name,
          version: config.version,
          versions: config.versions,
          ...modelTensors(model),
          keys: keysConfigured(config),
          playground: playgroundOn(config),
          servers: [`${new URL(c.req.url).origin}${basePath(c)}`],
        });
        return c.json(document);
      },
    });
  }
}
