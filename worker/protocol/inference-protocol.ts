/**
 * A protocol's side of inference (V2, V1): request body -> request -> session run -> answer. The
 * inference handler (routes/inference.ts) reads the body, consults the cache and calls these in
 * order, timing each; it never calls back into the route files.
 */
import type { ModelConfig } from '../env';
import type { Tensor } from '../runtime/tensor';
import type { Answer } from './answer';
import type { RequestBody } from './request-body';
import type { SessionSignature } from './v2-request';

export type Results = Readonly<Record<string, Tensor>>;

/** What a protocol needs of the loaded model. */
export interface ServedModel extends SessionSignature {
  readonly session: { run(feeds: Record<string, Tensor>, outputNames?: readonly string[]): Results };
}

export interface InferenceProtocol<R> {
  /** The request, or a RequestError (400) naming what is wrong with it. */
  parse(body: RequestBody, model: ServedModel, config: ModelConfig): R;
  run(request: R, model: ServedModel): Results;
  encode(request: R, results: Results, model: ServedModel, config: ModelConfig): Answer;
}
