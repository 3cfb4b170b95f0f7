/**
 * A router that remembers its answers per (method, path). The app's routes cannot all go through
 * Hono's RegExpRouter (the V1 `{name}:predict` segment beside `{name}/versions/...` is ambiguous
 * to it), so Hono falls back to the TrieRouter, which walks the trie on every request (~5% of a
 * small inference request in workerd). A Worker serves few distinct paths, so a small memo makes
 * matching a Map lookup. The memo is bounded and simply cleared when full, so a client sending
 * endless distinct paths costs at most a walk per request, as without it.
 *
 * Sharing a result between requests is safe: Hono only reads it (params are decoded on access).
 */
import type { Result, Router } from 'hono/router';
import { TrieRouter } from 'hono/router/trie-router';

const MAX_ENTRIES = 512;

export class MemoRouter<T> implements Router<T> {
  readonly name = 'MemoRouter(TrieRouter)';
  private readonly inner: Router<T> = new TrieRouter<T>();
  private readonly memo = new Map<string, Result<T>>();

  add(method: string, path: string, handler: T): void {
    this.memo.clear();
    this.inner.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    const key = `${method} ${path}`;
    let result = this.memo.get(key);
    if (result === undefined) {
      result = this.inner.match(method, path);
      if (this.memo.size >= MAX_ENTRIES) this.memo.clear();
      this.memo.set(key, result);
    }
    return result;
  }
}
