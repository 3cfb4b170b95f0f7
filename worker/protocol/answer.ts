/** What a protocol encoder hands the HTTP layer: the body, its type and any protocol headers. */
export interface Answer {
  readonly body: string | Uint8Array;
  readonly contentType: string;
  /** e.g. Inference-Header-Content-Length for a binary answer */
  readonly headers?: Readonly<Record<string, string>>;
}

export const jsonAnswer = (value: unknown): Answer => ({ body: JSON.stringify(value), contentType: 'application/json' });
