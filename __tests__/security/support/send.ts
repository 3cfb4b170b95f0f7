/** Sends corpus requests to Workers in Miniflare with a per-request timeout and checks the answers. */
import type { HostileRequest } from './hostile-corpus';

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export type WorkerFetch = (url: string, init: RequestInit) => Promise<{ status: number; headers: Headers; text(): Promise<string> }>;

/** Above this many header bytes workerd itself may refuse the request with a plain-text 431. */
export const RUNTIME_HEADER_LIMIT = 64 * 1024;

export function headerBytes(req: HostileRequest): number {
  return Object.entries(req.headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0) + req.path.length;
}

export function requestInit(req: HostileRequest): RequestInit {
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers: req.headers };
  const body = req.body;
  if (body === undefined) return init;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    init.body = body as RequestInit['body'];
  } else {
    // A body without Content-Length: only the streaming check can stop it. Always finite.
    let left = body.streamBytes;
    init.body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (left <= 0) return controller.close();
        const n = Math.min(left, 16 * 1024);
        left -= n;
        controller.enqueue(new Uint8Array(n).fill(0x20));
      },
    });
    init.duplex = 'half';
  }
  return init;
}

/** Resolves with the answer, or with 'timeout' when none arrives in time. */
export async function sendWithTimeout(fetch: WorkerFetch, req: HostileRequest, timeoutMs: number): Promise<Answer | 'timeout' | Error> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const send = (async () => {
    const res = await fetch(`https://edge.example.com${req.path}`, requestInit(req));
    return { status: res.status, headers: res.headers, text: await res.text() };
  })().catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  try {
    return await Promise.race([send, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Why an answer to a hostile request is wrong, or undefined when it is right. */
export function problemWith(req: HostileRequest, answer: Answer | 'timeout' | Error): string | undefined {
  if (answer === 'timeout') return 'no answer before the timeout (hang)';
  const pastHeaderLimit = headerBytes(req) > RUNTIME_HEADER_LIMIT;
  // workerd refuses headers past its limit itself: a 431, or a closed connection while the body is still being sent
  if (answer instanceof Error) return pastHeaderLimit ? undefined : `the request failed: ${answer.message}`;
  const { status, text } = answer;
  if (status === 431 && pastHeaderLimit) return undefined;
  if (req.runtimeAnswers) return req.expect.includes(status) ? undefined : `status ${status}, expected ${req.expect.join(' or ')} from the runtime`;
  if (status >= 500) return `status ${status}: ${text.slice(0, 200)}`;
  if (!req.expect.includes(status)) return `status ${status}, expected ${req.expect.join(' or ')}: ${text.slice(0, 200)}`;
  if (req.method === 'HEAD' || status < 400) return undefined; // an expected success is not an error body
  if (!/^application\/json/.test(answer.headers.get('content-type') ?? '')) return `content type ${answer.headers.get('content-type')}`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return `body is not JSON: ${text.slice(0, 100)}`;
  }
  if (typeof json !== 'object' || json === null || Object.keys(json).join() !== 'error' || typeof (json as { error: unknown }).error !== 'string') {
    return `body is not {"error": string}: ${text.slice(0, 100)}`;
  }
  const message = (json as { error: string }).error;
  if (/\n\s+at\s|node_modules|\.ts:\d|\.js:\d/.test(message)) return `the error message carries a stack trace: ${message.slice(0, 200)}`;
  if (message.length > 2048) return `the error message is ${message.length} characters long`;
  const id = answer.headers.get('x-request-id') ?? '';
  if (!/^[A-Za-z0-9._:-]{1,128}$/.test(id)) return `X-Request-Id is not a plain token: ${JSON.stringify(id.slice(0, 60))}`;
  return undefined;
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function pool<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  });
  await Promise.all(runners);
  return results;
}
