/** Parses MODEL_CONFIG once per distinct binding text and exposes it as c.var.config. */
import { createMiddleware } from 'hono/factory';
import { parseModelConfig, type ModelConfig } from '../env';
import type { AppEnv } from './types';

let lastText: string | undefined;
let lastConfig: ModelConfig | undefined;

/** The validated config; throws ModelConfigError (answered 500 "deployment misconfigured"). */
export function configOf(text: string | undefined): ModelConfig {
  if (lastConfig && text === lastText) return lastConfig;
  const config = parseModelConfig(text);
  lastText = text;
  lastConfig = config;
  return config;
}

/** The config, or undefined when it is broken (for code that must not throw, like routing). */
export function tryConfigOf(text: string | undefined): ModelConfig | undefined {
  try {
    return configOf(text);
  } catch {
    return undefined;
  }
}

export function modelConfig() {
  // Not async: a middleware with nothing to do after next() hands back its promise, which saves
  // an async frame and a resumption per request.
  return createMiddleware<AppEnv>(function modelConfigMiddleware(c, next) {
    c.set('config', configOf(c.env?.MODEL_CONFIG));
    return next();
  });
}
