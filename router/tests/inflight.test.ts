/** InflightRequests: identical subgraph requests in flight at the same time share one send. */
import { describe, expect, it, jest } from "@jest/globals";
import type { RawResponse } from "../src/fetcher.js";
import { InflightRequests } from "../src/inflight.js";

const answer = (body: string): RawResponse => ({
  url: "http://subgraph.test/graphql",
  status: 200,
  statusText: "OK",
  contentType: "application/json",
  cacheControl: undefined,
  body,
});

/** A send the test answers (or fails) when it chooses. */
function controlledSend() {
  let resolve!: (response: RawResponse) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<RawResponse>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const send = jest.fn(() => promise);
  return { send, resolve, reject };
}

describe("InflightRequests", () => {
  it("sends once for concurrent calls with the same key; every caller gets that answer", async () => {
    const inflight = new InflightRequests();
    const { send, resolve } = controlledSend();
    const calls = [inflight.run("k", send), inflight.run("k", send), inflight.run("k", send)];
    expect(send).toHaveBeenCalledTimes(1);
    expect(calls.map((c) => c.shared)).toEqual([false, true, true]);
    expect(inflight.size).toBe(1);
    const response = answer('{"data":{"x":1}}');
    resolve(response);
    const received = await Promise.all(calls.map((c) => c.response));
    expect(received).toEqual([response, response, response]);
    for (const r of received) expect(r).toBe(response);
  });

  it("does not share between different keys", async () => {
    const inflight = new InflightRequests();
    const a = controlledSend();
    const b = controlledSend();
    const first = inflight.run("a", a.send);
    const second = inflight.run("b", b.send);
    expect(a.send).toHaveBeenCalledTimes(1);
    expect(b.send).toHaveBeenCalledTimes(1);
    expect([first.shared, second.shared]).toEqual([false, false]);
    expect(inflight.size).toBe(2);
    a.resolve(answer("a"));
    b.resolve(answer("b"));
    expect((await first.response).body).toBe("a");
    expect((await second.response).body).toBe("b");
  });

  it("forgets a key once it is answered: a later call sends again", async () => {
    const inflight = new InflightRequests();
    const first = controlledSend();
    const call = inflight.run("k", first.send);
    first.resolve(answer("first"));
    await call.response;
    expect(inflight.size).toBe(0);

    const second = controlledSend();
    const later = inflight.run("k", second.send);
    expect(later.shared).toBe(false);
    expect(second.send).toHaveBeenCalledTimes(1);
    second.resolve(answer("second"));
    expect((await later.response).body).toBe("second");
    expect(first.send).toHaveBeenCalledTimes(1);
  });

  it("rejects every waiter when the send fails, and forgets the key", async () => {
    const inflight = new InflightRequests();
    const failing = controlledSend();
    const calls = [inflight.run("k", failing.send), inflight.run("k", failing.send)];
    expect(failing.send).toHaveBeenCalledTimes(1);
    const error = new Error("connection refused");
    failing.reject(error);
    const outcomes = await Promise.allSettled(calls.map((c) => c.response));
    expect(outcomes).toEqual([
      { status: "rejected", reason: error },
      { status: "rejected", reason: error },
    ]);
    expect(inflight.size).toBe(0);

    const retry = controlledSend();
    const again = inflight.run("k", retry.send);
    expect(again.shared).toBe(false);
    expect(retry.send).toHaveBeenCalledTimes(1);
    retry.resolve(answer("recovered"));
    expect((await again.response).body).toBe("recovered");
  });

  it("keeps nothing in flight when the send throws before returning a promise", () => {
    const inflight = new InflightRequests();
    expect(() =>
      inflight.run("k", () => {
        throw new Error("bad request");
      }),
    ).toThrow("bad request");
    expect(inflight.size).toBe(0);
  });
  it("after a change (a write, a live event) a call sends its own request; the older answer does not evict it", async () => {
    const inflight = new InflightRequests();
    const before = controlledSend();
    const after = controlledSend();
    const early = inflight.run("k", before.send);
    expect(inflight.run("k", before.send).shared).toBe(true);
    inflight.changed();
    const late = inflight.run("k", after.send);
    expect([late.shared, after.send.mock.calls.length]).toEqual([false, 1]);
    // A call after the change shares the newer request, and the older request's answer does not forget it.
    expect(inflight.run("k", after.send).shared).toBe(true);
    before.resolve(answer("before"));
    expect((await early.response).body).toBe("before");
    expect(inflight.run("k", after.send).shared).toBe(true);
    after.resolve(answer("after"));
    expect((await late.response).body).toBe("after");
    expect(inflight.size).toBe(0);
  });
});
