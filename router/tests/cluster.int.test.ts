/**
 * ROUTER_WORKERS=2: the router as two processes on one port (cluster.ts) — both serve, `/metrics` sums them, a worker
 * that dies is replaced, and SIGTERM to the primary stops them all.
 */
import { afterAll, describe, expect, it } from "@jest/globals";
import net from "node:net";
import path from "node:path";
import { startRouterProcess, stopAll } from "./support/routerProcess.js";

afterAll(stopAll);

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once("error", reject);
  });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("several router processes on one port", () => {
  it("serve together, report metrics together, replace a dead worker and stop together", async () => {
    const port = await freePort();
    const router = startRouterProcess(["--import", "tsx", path.join("router", "src", "main.ts"), "--port", String(port)], {
      NODE_ENV: "production",
      LOG_LEVEL: "info",
      ROUTER_WORKERS: "2",
      CLINIGRAPH_ROUTER_SECRETS: "cluster-test-secret-0123456789abcdef0123",
      RATE_LIMIT_PER_MINUTE: "0",
    });
    const { child, logged, exited } = router;

    const ready = await logged("router ready for requests", 2);
    const pids = ready.map((line) => line.pid as number);
    expect(new Set(pids).size).toBe(2);
    expect(pids).not.toContain(child.pid);
    const url = `http://127.0.0.1:${port}/graphql`;

    const query = () =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", connection: "close" },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
    for (let i = 0; i < 40; i++) expect((await query()).status).toBe(200);
    // The counter is summed over both workers, whichever takes the scrape: 40 (one worker alone had about half).
    const successes = async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { connection: "close" } })).text();
      return Number(/clinigraph_router_requests_total\{operation_type="query",status="success"\} (\d+)/.exec(text)?.[1] ?? -1);
    };
    for (let i = 0; i < 4; i++) expect(await successes()).toBe(40);

    // A worker killed outright is replaced; the port keeps answering meanwhile.
    process.kill(pids[0]!, "SIGKILL");
    const [died] = await logged("router worker died; starting another", 1);
    expect(died).toMatchObject({ pid: pids[0], signal: "SIGKILL" });
    const after = await logged("router ready for requests", 3);
    const replacement = after[2]!.pid as number;
    expect(pids).not.toContain(replacement);
    for (let i = 0; i < 10; i++) expect((await query()).status).toBe(200);
    // What the dead worker had counted went with it: it had served some of the 40 (connections go round robin).
    const now = await successes();
    expect(now).toBeGreaterThanOrEqual(10);
    expect(now).toBeLessThan(50);

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    for (const pid of [pids[1]!, replacement]) expect(alive(pid)).toBe(false);
    expect(router.output()).not.toMatch(/"level":60/);
  }, 60_000);
});
