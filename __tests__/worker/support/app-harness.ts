/** Runs the Worker app in Node with `app.request(path, init, env)`: no server, bindings as env. */
import { createApp } from '../../../worker/app';
import { allKernels } from '../../../worker/runtime/kernels/registry';
import type { Env, ModelConfig } from '../../../worker/env';
import { artifactBuffer, compiledModel } from './models';

export type ConfigOverrides = Partial<Omit<ModelConfig, 'limits' | 'cors' | 'cache' | 'auth'>> & {
  limits?: Partial<ModelConfig['limits']>;
  cors?: Partial<ModelConfig['cors']>;
  cache?: Partial<ModelConfig['cache']>;
  auth?: Partial<ModelConfig['auth']>;
};

export function modelConfigText(name: string, overrides: ConfigOverrides = {}): string {
  return JSON.stringify({ name, version: 'v1', ...overrides });
}

/** A Response whose JSON is untyped, for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TestResponse = Omit<Response, 'json'> & { json(): Promise<any> };

export interface Harness {
  readonly logs: string[];
  request(path: string, init?: RequestInit, config?: string): Promise<TestResponse>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<TestResponse>;
}

export function harness(model: 'multi' | 'classifier', config: ConfigOverrides = {}): Harness {
  const logs: string[] = [];
  const app = createApp({ kernels: allKernels, artifact: artifactBuffer(compiledModel(model)), log: (l) => logs.push(l) });
  const env: Env = { MODEL_CONFIG: modelConfigText(model, config) };
  const request = (path: string, init?: RequestInit, text?: string): Promise<TestResponse> =>
    Promise.resolve(app.request(path, init, text === undefined ? env : { MODEL_CONFIG: text }));
  return {
    logs,
    request,
    post: (path, body, headers = {}) =>
      request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
  };
}

export const MULTI_REQUEST = {
  id: 'req-1',
  inputs: [
    { name: 'x', shape: [2, 3], datatype: 'FP32', data: [[1, 2, 3], [0, 0, 0]] },
    { name: 'flags', shape: [2], datatype: 'BOOL', data: [true, false] },
    { name: 'names', shape: [2], datatype: 'BYTES', data: ['alpha', 'beta'] },
    { name: 'ids', shape: [1, 2], datatype: 'INT64', data: [7, -9007199254740991] },
  ],
};
