/**
 * Remembers what a slow lookup (another subgraph's public API) answered, for `ttlMs`. Concurrent callers of one key
 * share one load; a failed load is forgotten at once, so the next caller tries again.
 */
export type Remembered = <T>(key: string, load: () => Promise<T>) => Promise<T>;

export function createTtlCache(ttlMs: number, now: () => number = Date.now): Remembered {
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();
  return <T>(key: string, load: () => Promise<T>): Promise<T> => {
    const hit = cache.get(key);
    if (hit && now() - hit.at < ttlMs) return hit.value as Promise<T>;
    const value = load();
    cache.set(key, { at: now(), value });
    value.catch(() => {
      if (cache.get(key)?.value === value) cache.delete(key);
    });
    return value;
  };
}
