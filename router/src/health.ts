/**
 * `/health`: the process is up. `/ready`: the gateway has a supergraph and every subgraph in it
 * answers its own `/health` (derived from its GraphQL URL); otherwise 503 naming the ones down.
 */
import type { Express } from "express";
import { Agent } from "undici";
import { healthUrlOf, type SubgraphEndpoint } from "./supergraph.js";

export interface ReadinessOptions {
  /** The subgraphs of the supergraph being served, with effective URLs (empty before load). */
  subgraphs: () => SubgraphEndpoint[];
  timeoutMs?: number;
}

export interface ReadinessReport {
  ready: boolean;
  down: string[];
}

export function createReadinessCheck({ subgraphs, timeoutMs = 2_000 }: ReadinessOptions) {
  const agent = new Agent({ keepAliveTimeout: 10_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connect: { timeout: timeoutMs } });
  const probe = async ({ url }: SubgraphEndpoint): Promise<boolean> => {
    try {
      const target = new URL(healthUrlOf(url));
      const res = await agent.request({ origin: target.origin, path: target.pathname, method: "GET", signal: AbortSignal.timeout(timeoutMs) });
      await res.body.dump();
      return res.statusCode === 200;
    } catch {
      return false;
    }
  };
  return {
    async check(): Promise<ReadinessReport> {
      const list = subgraphs();
      if (list.length === 0) return { ready: false, down: [] };
      const results = await Promise.all(list.map(probe));
      const down = list.filter((_, i) => !results[i]).map((s) => s.name);
      return { ready: down.length === 0, down };
    },
    close: () => agent.close(),
  };
}

export function mountHealthRoutes(app: Express, readiness: { check(): Promise<ReadinessReport> }) {
  app.get("/health", (_req, res) => {
    res.json({ status: "ok", service: "router" });
  });
  app.get("/ready", async (_req, res) => {
    const report = await readiness.check();
    if (report.ready) res.json({ status: "ready", service: "router" });
    else
      res.status(503).json({ status: "unavailable", service: "router", down: report.down, ...(report.down.length ? {} : { reason: "no supergraph loaded" }) });
  });
}
