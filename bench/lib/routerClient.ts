/**
 * A lean GraphQL client of the router for the benchmarks: node:http with keep-alive agents, so the connections are
 * explicit — a shared pool for set-up, or one connection of its own per simulated browser (`ownConnection`).
 */
import http from "node:http";
import { performance } from "node:perf_hooks";

export interface GqlError {
  message: string;
  extensions?: { code?: string; [k: string]: unknown };
}

export interface GqlReply<T> {
  status: number;
  data?: T | null;
  errors?: GqlError[];
  /** Milliseconds from sending the request to having parsed the whole response. */
  ms: number;
}

/** A request that failed without an HTTP answer: its Node error code (ECONNRESET, ECONNREFUSED, ETIMEDOUT, …). */
export class NetworkError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Milliseconds from sending the request to the failure. */
    readonly ms: number,
  ) {
    super(message);
  }
}

/**
 * Keep-alive connections as a browser keeps them. The router's server closes a connection idle for 5 s and says so
 * (`Keep-Alive: timeout=5`); Node's agent closes its idle sockets a second before such a hint only when it has a
 * socket timeout of its own (`timeout`), else a request sent just as the server closes fails with ECONNRESET — which a
 * browser would retry unseen. An active request is not cut by this timeout (the agent destroys only idle sockets).
 */
const keepAliveAgent = (maxSockets: number) => new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, timeout: 60_000 });

export class RouterClient {
  private readonly url: URL;
  private agent: http.Agent;
  private readonly extraAgents = new Set<http.Agent>();

  constructor(routerUrl: string, maxSockets: number) {
    this.url = new URL(routerUrl);
    this.agent = keepAliveAgent(maxSockets);
  }

  /** Replaces the shared connection pool (closes its sockets). */
  resize(maxSockets: number) {
    this.agent.destroy();
    this.agent = keepAliveAgent(maxSockets);
  }

  /** A connection of its own, as one browser has: one keep-alive socket (`maxSockets` of them), closed by close(). */
  ownConnection(maxSockets = 1): http.Agent {
    const agent = keepAliveAgent(maxSockets);
    this.extraAgents.add(agent);
    return agent;
  }

  closeOwnConnections() {
    for (const agent of this.extraAgents) agent.destroy();
    this.extraAgents.clear();
  }

  close() {
    this.agent.destroy();
    this.closeOwnConnections();
  }

  /** GET /health over `agent`: opens (or re-uses) its connection without touching GraphQL. */
  health(agent: http.Agent): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = http.request({ agent, hostname: this.url.hostname, port: this.url.port, path: "/health", method: "GET" }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end();
    });
  }

  /**
   * POSTs one operation. Rejects with a `NetworkError` when no whole answer came (the connection failed or was reset,
   * or `timeoutMs` passed: ETIMEDOUT); an answer that is not JSON resolves as a GraphQL error NON_JSON_RESPONSE.
   */
  post<T>(query: string, variables: Record<string, unknown> = {}, token?: string, agent: http.Agent = this.agent, timeoutMs?: number): Promise<GqlReply<T>> {
    const body = JSON.stringify({ query, variables });
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const fail = (err: unknown) => {
        const code = (err as { code?: unknown }).code;
        reject(
          new NetworkError(typeof code === "string" ? code : "ERR_NETWORK", err instanceof Error ? err.message : String(err), performance.now() - started),
        );
      };
      const req = http.request(
        {
          agent,
          hostname: this.url.hostname,
          port: this.url.port,
          path: this.url.pathname,
          method: "POST",
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", fail);
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: { data?: T | null; errors?: GqlError[] };
            try {
              parsed = JSON.parse(text) as typeof parsed;
            } catch {
              parsed = { errors: [{ message: `HTTP ${res.statusCode}: ${text.slice(0, 200)}`, extensions: { code: "NON_JSON_RESPONSE" } }] };
            }
            resolve({ status: res.statusCode ?? 0, ...parsed, ms: performance.now() - started });
          });
        },
      );
      if (timeoutMs !== undefined)
        req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" })));
      req.on("error", fail);
      req.end(body);
    });
  }

  /** Like post, but any GraphQL error is fatal (for seeding and setup). */
  async must<T>(what: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
    const reply = await this.post<T>(query, variables, token);
    if (reply.errors?.length || !reply.data) {
      const first = reply.errors?.[0];
      throw new Error(`${what} failed (HTTP ${reply.status}): ${first?.extensions?.code ?? ""} ${first?.message ?? "no data"}`);
    }
    return reply.data;
  }
}
