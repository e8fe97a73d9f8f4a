/** Helpers for the edge tests: the router's subgraph-request counter and a namespaced view of the test Redis. */
import { randomUUID } from "node:crypto";
import { createClient } from "redis";

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Requests the router has sent to subgraphs so far (its `clinigraph_router_subgraph_requests_total`). */
export async function subgraphRequests(origin: string): Promise<number> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  return [...text.matchAll(/^clinigraph_router_subgraph_requests_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

export interface TestRedis {
  url: string;
  /** Unique per call: pass as the router's `redisNamespace`. */
  namespace: string;
  keys(): Promise<string[]>;
  get(key: string): Promise<string | null>;
  /** Time to live of a key, seconds (-1: none, -2: no such key). */
  ttl(key: string): Promise<number>;
  /** Deletes the namespace's keys and disconnects. */
  close(): Promise<void>;
}

export async function testRedis(): Promise<TestRedis> {
  const namespace = `test-edge-${randomUUID()}:`;
  const client = createClient({ url: TEST_REDIS_URL });
  await client.connect();
  const keys = async () => {
    const found: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${namespace}*`, COUNT: 500 })) found.push(...batch);
    return found;
  };
  return {
    url: TEST_REDIS_URL,
    namespace,
    keys,
    get: (key) => client.get(key),
    ttl: (key) => client.ttl(key),
    async close() {
      const all = await keys();
      if (all.length) await client.del(all);
      await client.quit();
    },
  };
}
