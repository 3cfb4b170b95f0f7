/**
 * Writes the MODEL_CONFIG binding text (JSON of the Worker's `ModelConfig`) for one version.
 *
 * Terraform reads `${` and `%{` in every string as template syntax, so the static JSON is escaped.
 * Settings that are Terraform expressions (key hashes from a sensitive variable, a limit from a
 * workspace variable...) are spliced in as `jsonencode(...)`, so their
 * values appear only when Terraform runs, never in the synthesized output.
 */
import { Fn, Token } from 'cdktf';
import type { ModelConfig } from '../worker/env';
import { MODEL_CONFIG_DEFAULTS } from '../worker/env';
import type { ResolvedDeploymentConfig } from './deployment-config';

const PLACEHOLDER = (i: number) => `__MODEL_EDGE_EXPRESSION_${i}__`;

/** The MODEL_CONFIG text for the version labelled `label`. */
export function modelConfigText(config: ResolvedDeploymentConfig, label: string): string {
  const modelConfig: ModelConfig = {
    name: config.modelName,
    version: label,
    versions: config.versions.map((v) => v.label),
    platform: MODEL_CONFIG_DEFAULTS.platform,
    limits: { ...config.limits },
    cors: { allowOrigins: config.cors.allowOrigins, maxAgeSeconds: config.cors.maxAgeSeconds },
    cache: { ...config.cache },
    // Keys configured (a list, or a Terraform variable that may turn out empty) and not opted out:
    // the Worker then fails closed (503) rather than open when the list it receives is empty.
    auth: { keySha256: config.apiKeySha256, ...(keysRequired(config) ? { required: true } : {}) },
    ...(config.pathPrefix ? { pathPrefix: config.pathPrefix } : {}),
    ...(config.playground ? {} : { playground: false }),
  };
  const expressions: unknown[] = [];
  const literal = withPlaceholders(modelConfig, expressions);
  let text = escapeTerraformTemplate(JSON.stringify(literal));
  expressions.forEach((value, i) => {
    text = text.replace(`"${PLACEHOLDER(i)}"`, Fn.jsonencode(value));
  });
  return text;
}

function keysRequired(config: ResolvedDeploymentConfig): boolean {
  return !config.allowNoKeys && (Token.isUnresolved(config.apiKeySha256) || config.apiKeySha256.length > 0);
}

/** A copy of `value` with every Terraform expression replaced by a placeholder string (collected in `expressions`). */
function withPlaceholders(value: unknown, expressions: unknown[]): unknown {
  if (value !== undefined && value !== null && Token.isUnresolved(value)) {
    expressions.push(value);
    return PLACEHOLDER(expressions.length - 1);
  }
  if (Array.isArray(value)) return value.map((v) => withPlaceholders(v, expressions));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPlaceholders(v, expressions)]));
  }
  return value;
}

/** Escapes Terraform template sequences so a literal string survives interpolation unchanged. */
export function escapeTerraformTemplate(text: string): string {
  return text.replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}
