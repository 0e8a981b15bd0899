/** The result cache of the modern era: fresh for `ttlMs`, dropped by list_changed notifications. */
import { CACHEABLE_METHODS, type Params } from '../protocol/index.ts';

interface Entry {
  result: Record<string, unknown>;
  expires: number;
}

function keyOf(method: string, params: Params | undefined): string {
  if (!params) return method;
  const { _meta: _m, ...rest } = params;
  return `${method} ${JSON.stringify(rest)}`;
}

/** Caches cacheable results by method and parameters. */
export class ResultCache {
  #entries = new Map<string, Entry>();

  /** A fresh cached result, if any. */
  get(method: string, params: Params | undefined): Record<string, unknown> | undefined {
    if (!CACHEABLE_METHODS.has(method)) return undefined;
    const key = keyOf(method, params);
    const e = this.#entries.get(key);
    if (!e) return undefined;
    if (Date.now() >= e.expires) {
      this.#entries.delete(key);
      return undefined;
    }
    return e.result;
  }

  /** Stores a result if it says it may be cached. */
  put(method: string, params: Params | undefined, result: Record<string, unknown>): void {
    if (!CACHEABLE_METHODS.has(method)) return;
    if (params?.inputResponses !== undefined || params?.requestState !== undefined) return;
    const ttl = result.ttlMs;
    if (typeof ttl !== 'number' || !(ttl > 0)) return;
    this.#entries.set(keyOf(method, params), { result, expires: Date.now() + ttl });
  }

  /** Drops the cached results of some methods (or all). */
  invalidate(methods?: string[]): void {
    if (!methods) {
      this.#entries.clear();
      return;
    }
    for (const key of [...this.#entries.keys()]) {
      if (methods.some((m) => key === m || key.startsWith(`${m} `))) this.#entries.delete(key);
    }
  }
}
