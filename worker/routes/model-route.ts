/**
 * Resolves the {name} and {version} of a model URL against this Worker's model: 404 for any other
 * name or version. Names are checked against a strict pattern before any comparison.
 */
import { MODEL_NAME_PATTERN, type ModelConfig } from '../env';
import { RequestError, quote } from '../protocol/request-error';
import type { AppContext, RequestState } from '../http/types';
import type { LoadedModel, ModelLoader } from '../http/model';

/** Throws the 404 when the URL names another model or version. */
export function checkModelRoute(c: AppContext, config: ModelConfig): void {
  const name = c.req.param('name') ?? withoutVerb(c.req.param('nameVerb')) ?? '';
  const version = c.req.param('version') ?? withoutVerb(c.req.param('versionVerb'));
  if (!MODEL_NAME_PATTERN.test(name) || name !== config.name) {
    throw new RequestError(404, `unknown model ${quote(name)}; this endpoint serves ${quote(config.name)}`);
  }
  if (version !== undefined && version !== config.version) {
    const known = config.versions.includes(version);
    throw new RequestError(
      404,
      known
        ? `version ${quote(version)} of ${quote(name)} is not the one that answered (${quote(config.version)}); pin it with the Cloudflare-Workers-Version-Overrides header`
        : `unknown version ${quote(version)} of ${quote(name)}; versions: ${config.versions.join(', ')}`,
    );
  }
}

/** "m:predict" -> "m" (the V1 verb is part of the last path segment). */
function withoutVerb(segment: string | undefined): string | undefined {
  return segment?.replace(/:predict$/, '');
}

/** The model (loading it on first use), recorded in the request state for the log line. */
export async function loadedModel(loader: ModelLoader, state: RequestState): Promise<LoadedModel> {
  const model = loader.loaded() ?? (await loader());
  state.model = model;
  return model;
}
