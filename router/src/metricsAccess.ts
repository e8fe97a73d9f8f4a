/**
 * Who may read `/metrics`. Prometheus metrics describe the deployment (operation counts, subgraph
 * traffic, process details), so they are not for the public:
 * - METRICS_TOKEN set: only requests with `Authorization: Bearer <METRICS_TOKEN>` (compared in constant
 *   time), wherever the router listens; anyone else gets 401;
 * - unset: served only while the router listens on a loopback address (127.0.0.0/8, ::1, localhost) and to
 *   requests that did not come through a proxy (no Forwarded / X-Forwarded-For header); a router listening
 *   on any other address (e.g. 0.0.0.0 in docker-compose) answers 404, so metrics are never public by default.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Request, Response, NextFunction } from "express";

export const isLoopbackHost = (host: string | undefined) =>
  host !== undefined && (host === "localhost" || host === "::1" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host));

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Express middleware guarding `/metrics`; `listeningOn()` is the host the router listens on (undefined before `listen`). */
export function metricsAccess(token: string | undefined, listeningOn: () => string | undefined) {
  const expected = token ? digest(token) : undefined;
  return (req: Request, res: Response, next: NextFunction) => {
    if (expected) {
      const presented = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
      if (presented && timingSafeEqual(digest(presented), expected)) return next();
      res.status(401).set("WWW-Authenticate", 'Bearer realm="metrics"').json({ error: "metrics need Authorization: Bearer <METRICS_TOKEN>" });
      return;
    }
    const proxied = req.headers.forwarded !== undefined || req.headers["x-forwarded-for"] !== undefined;
    if (isLoopbackHost(listeningOn()) && !proxied) return next();
    res.status(404).json({ error: "not found" });
  };
}
