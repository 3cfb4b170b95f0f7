/**
 * The playground page: GET /v2/models/{name}/playground, and GET / when the client prefers HTML
 * (see playground/negotiation.ts). Off with MODEL_CONFIG.playground false.
 */
import type { ModelConfig } from '../env';
import { configOfState, type AppContext } from '../http/types';
import { keysConfigured } from '../http/api-key';
import { RequestError } from '../protocol/request-error';
import { playgroundHtml, playgroundPolicy } from '../playground/page';
import { playgroundOn } from '../playground/negotiation';
import type { Register } from './endpoint';
import { basePath } from './base-path';
import { checkModelRoute } from './model-route';

export async function playgroundPage(c: AppContext, config: ModelConfig): Promise<Response> {
  const html = playgroundHtml({ name: config.name, base: basePath(c), keys: keysConfigured(config) });
  return new Response(html, {
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': await playgroundPolicy(),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
      Vary: 'Accept',
    },
  });
}

export function playgroundRoutes(endpoint: Register): void {
  endpoint('/v2/models/:name/playground', {
    GET: function playground(c, state) {
      const config = configOfState(state);
      checkModelRoute(c, config);
      if (!playgroundOn(config)) {
        throw new RequestError(404, 'the playground page is switched off for this deployment (setting "playground": false); use the API, described at /v2/models/{name}/openapi.json');
      }
      return playgroundPage(c, config);
    },
  });
}
