/**
 * The request context answers whatever a handler throws, Error or not: a 500 `{"error"}` with the
 * request's headers and a log line that records the fault.
 */
import { Hono } from 'hono';
import { requestContext } from '../../worker/http/request-context';
import type { AppEnv, Handler } from '../../worker/http/types';
import { modelConfigText } from './support/app-harness';

function appThrowing(thrown: () => unknown) {
  const logs: string[] = [];
  const app = new Hono<AppEnv>();
  const handler: Handler = () => {
    throw thrown();
  };
  app.get('/x', requestContext({ log: (l) => logs.push(l) })(handler));
  return { app, logs };
}

it.each([
  ['a string', () => 'boom'],
  ['a plain object', () => ({ code: 7 })],
  ['an object whose toString throws', () => ({ toString: () => { throw new Error('no'); } })],
  ['undefined', () => undefined],
])('answers %s thrown by a handler with a 500, its headers and a log line', async (_label, thrown) => {
  const { app, logs } = appThrowing(thrown);
  const res = await app.request('/x', {}, { MODEL_CONFIG: modelConfigText('m') });
  expect(res.status).toBe(500);
  expect(res.headers.get('x-request-id')).toBeTruthy();
  expect(res.headers.get('x-model-version')).toBe('v1');
  expect(Object.keys((await res.json()) as object)).toEqual(['error']);
  expect(logs).toHaveLength(1);
  expect(JSON.parse(logs[0])).toMatchObject({ status: 500, error: expect.stringMatching(/^a non-Error value was thrown: /) });
});
