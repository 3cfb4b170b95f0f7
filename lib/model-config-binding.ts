/**
 * Writes the MODEL_CONFIG binding text (JSON of the Worker's `ModelConfig`) for one version.
 *
 * Terraform reads `${` and `%{` in every string as template syntax, so the static JSON is escaped;
 * API key hashes may be tokens (a sensitive variable), which are spliced in as `jsonencode(...)`
 * so their values appear only when Terraform runs, never in the synthesized output.
 */
import { Fn, Token } from 'cdktf';
import type { ModelConfig } from '../worker/env';
import { MODEL_CONFIG_DEFAULTS } from '../worker/env';
import type { ResolvedDeploymentConfig } from './deployment-config';

const KEYS_PLACEHOLDER = '__MODEL_EDGE_API_KEY_SHA256__';

/** The MODEL_CONFIG text for the version labelled `label`. */
export function modelConfigText(config: ResolvedDeploymentConfig, label: string): string {
  const keys = config.apiKeySha256;
  const keysAreTokens = Token.isUnresolved(keys) || keys.some((k) => Token.isUnresolved(k));
  const modelConfig: ModelConfig = {
    name: config.modelName,
    version: label,
    versions: config.versions.map((v) => v.label),
    platform: MODEL_CONFIG_DEFAULTS.platform,
    limits: { ...config.limits },
    cors: { allowOrigins: [...config.cors.allowOrigins], maxAgeSeconds: config.cors.maxAgeSeconds },
    cache: { ...config.cache },
    auth: { keySha256: keysAreTokens ? [KEYS_PLACEHOLDER] : keys.map((k) => k.toLowerCase()) },
    ...(config.pathPrefix ? { pathPrefix: config.pathPrefix } : {}),
  };
  const text = escapeTerraformTemplate(JSON.stringify(modelConfig));
  if (!keysAreTokens) return text;
  // A list token renders as an HCL expression; jsonencode turns it into the JSON array in place.
  const keysJson = Fn.jsonencode(Token.isUnresolved(keys) ? keys : [...keys]);
  return text.replace(`["${KEYS_PLACEHOLDER}"]`, keysJson);
}

/** Escapes Terraform template sequences so a literal string survives interpolation unchanged. */
export function escapeTerraformTemplate(text: string): string {
  return text.replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}
