/**
 * Time limits at the edge: a total deadline per HTTP GraphQL request (GATEWAY_TIMEOUT, HTTP 504, answered
 * at the deadline even while a subgraph is still working), and header and request timeouts on the HTTP
 * server against slow clients (slowloris).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { startFederation, type Federation } from "./support/fixture.js";

async function gql(fixture: Federation, query: string, headers: Record<string, string> = {}) {
  const res = await fetch(fixture.url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query }) });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[]; extensions?: unknown } };
}

/** A "doctors" subgraph that answers after `delayMs`. */
async function slowSubgraph(delayMs: number) {
  let answered = 0;
  let abandoned = 0;
  const budgets: string[] = [];
  const server = http.createServer((req, res) => {
    budgets.push(String(req.headers["x-clinigraph-budget-ms"]));
    res.on("close", () => {
      if (!res.writableEnded) abandoned++; // the router hung up before the answer
    });
    setTimeout(() => {
      answered++;
      if (!res.destroyed) res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: { doctor: { id: "d1" } } }));
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    answered: () => answered,
    abandoned: () => abandoned,
    budgets,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe("request deadline", () => {
  let slow: Awaited<ReturnType<typeof slowSubgraph>>;
  let fixture: Federation;
  beforeAll(async () => {
    // A deadline a busy machine still reaches the subgraph within (planning a query under load can take a few hundred
    // ms), and a subgraph far slower than it.
    slow = await slowSubgraph(6_000);
    fixture = await startFederation({ requestTimeoutMs: 1_500, subgraphUrls: { doctors: slow.url } });
  });
  afterAll(async () => {
    await fixture?.close();
    await slow?.close();
  });

  it("answers GATEWAY_TIMEOUT (504) at the deadline while a subgraph is still working", async () => {
    const started = Date.now();
    const res = await gql(fixture, `{ doctor(id: "d1") { id } }`);
    const elapsed = Date.now() - started;
    expect(res.status).toBe(504);
    expect(res.body).toEqual({ errors: [{ message: expect.stringMatching(/1500 ms/), extensions: { code: "GATEWAY_TIMEOUT" } }] });
    expect(elapsed).toBeGreaterThanOrEqual(1_490);
    expect(slow.answered()).toBe(0); // the router answered while the subgraph was still working
  });

  it("tells the subgraph the caller's remaining wait, and hangs up on it at the deadline", async () => {
    expect(Number(slow.budgets.at(-1))).toBeGreaterThan(0);
    expect(Number(slow.budgets.at(-1))).toBeLessThanOrEqual(1_500);
    for (let i = 0; i < 100 && slow.abandoned() < 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(slow.abandoned()).toBe(1);
  });

  it("serves fast operations, and carries on when the abandoned subgraph call finally returns", async () => {
    expect((await gql(fixture, `{ user(id: "u1") { name } }`)).body).toEqual({ data: { user: { name: "Ada Lovelace" } } });
    for (let i = 0; i < 400 && slow.answered() < 1; i++) await new Promise((r) => setTimeout(r, 50)); // at most 20 s
    expect(slow.answered()).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect((await gql(fixture, `{ user(id: "u2") { name } }`)).body).toEqual({ data: { user: { name: "Grace Hopper" } } });
  });
});

describe("slow clients", () => {
  let fixture: Federation;
  beforeAll(async () => {
    fixture = await startFederation({ headersTimeoutMs: 200, httpRequestTimeoutMs: 400 });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  /** Writes `chunks` and never finishes the request; resolves with what the server said once it hung up. */
  function trickle(...chunks: string[]) {
    const { port } = new URL(fixture.url);
    return new Promise<{ reply: string }>((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => chunks.forEach((c) => socket.write(c)));
      let reply = "";
      socket.on("data", (d) => (reply += d.toString()));
      socket.on("error", reject);
      const giveUp = setTimeout(() => {
        socket.destroy();
        reject(new Error("the server kept a slow client's connection open"));
      }, 10_000); // far past the 400 ms limit: only a server that never hangs up gets here
      socket.on("close", () => {
        clearTimeout(giveUp);
        resolve({ reply });
      });
    });
  }

  it("drops a client that never finishes its headers (408)", async () => {
    const { reply } = await trickle("POST /graphql HTTP/1.1\r\nHost: router\r\nX-Slow: 1");
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
  });

  it("drops a client that never finishes its body (408)", async () => {
    const { reply } = await trickle("POST /graphql HTTP/1.1\r\nHost: router\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n", '{"query":');
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
  });
});
