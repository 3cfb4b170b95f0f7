/**
 * The extension point for a team's own Worker code: pre- and post-processing around inference
 * (tokenizing text, resizing an image, mapping class ids to labels, calling another service).
 *
 * A deployment names a module with `hooks: { entry: 'src/edge-hooks.ts' }`; its default export is an
 * `EdgeHooks` object. It is bundled into the Worker at synth time and runs in the Workers runtime
 * (no Node APIs). The hooks see every binding of the Worker in `context.env`, including the extra
 * `bindings` the deployment adds.
 *
 *   import type { EdgeHooks } from 'model-edge/hooks';
 *   interface Bindings { LABELS: string }
 *   const hooks: EdgeHooks<Bindings> = {
 *     afterInference(answer, { env }) { ...map class ids with JSON.parse(env.LABELS)...; return answer; },
 *   };
 *   export default hooks;
 */

/** What a hook knows about the request it runs for. */
export interface HookContext<Bindings = Record<string, unknown>> {
  /** The Worker's bindings: MODEL_CONFIG, CF_VERSION_METADATA and the deployment's extra bindings. */
  readonly env: Bindings & Record<string, unknown>;
  /** The client's request (its body has been read; use the `body` argument). */
  readonly request: Request;
  /** `v2` for `/v2/models/{m}/infer`, `v1` for `/v1/models/{m}:predict`. */
  readonly protocol: 'v1' | 'v2';
  /** The model's name and this Worker version's label. */
  readonly model: { readonly name: string; readonly version: string };
}

export interface EdgeHooks<Bindings = Record<string, unknown>> {
  /**
   * Turns the client's JSON body into the inference request the model answers (an Open Inference
   * Protocol request for v2, `{"instances": ...}` for v1). Runs after the API key check.
   */
  beforeInference?(body: unknown, context: HookContext<Bindings>): unknown | Promise<unknown>;
  /** Turns the model's JSON answer (status 200 only) into what the client receives. */
  afterInference?(answer: unknown, context: HookContext<Bindings>): unknown | Promise<unknown>;
}

/**
 * Thrown by a hook to answer the client with a 4xx status and `{"error": message}` (a bad input the
 * hook found); any other exception is a 500 and is logged.
 */
export class HookError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HookError';
  }
}
