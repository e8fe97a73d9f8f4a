/** The gateway never hands its query plans (the subgraph topology) to a caller who asks for them. */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startFederation, type Federation } from "./support/fixture.js";

describe("query plans", () => {
  let fixture: Federation;
  beforeAll(async () => {
    fixture = await startFederation();
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it("are not exposed to a caller sending Apollo-Query-Plan-Experimental", async () => {
    const res = await fetch(fixture.url, {
      method: "POST",
      headers: { "content-type": "application/json", "Apollo-Query-Plan-Experimental": "true", "Apollo-Query-Plan-Experimental-Format": "internal" },
      body: JSON.stringify({ query: `{ doctor(id: "d1") { id user { name } } }` }),
    });
    const body = (await res.json()) as { data?: unknown; extensions?: unknown };
    expect(body).toEqual({ data: { doctor: { id: "d1", user: { name: "Ada Lovelace" } } } });
    expect(body.extensions).toBeUndefined();
  });
});
