/** Parses MODEL_CONFIG once per distinct binding text (requestContext puts it in the request state). */
import { parseModelConfig, type ModelConfig } from '../env';

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
