/**
 * Building and serving the web app from Node (pnpm start, the browser tests):
 * - `buildWebIfStale` runs both Vite builds (the app → dist/, GraphiQL → dist-graphiql/) unless a stamp (a hash of
 *   every source file, the configs and the lockfile) says they are current;
 * - `serveWeb` serves dist/ with Vite's static preview server (index.html for every app route) and answers
 *   `/config.js` with the router's address, so one build runs against any stack (ports are the server's choice).
 * A production build is the same static files behind any web server (the Docker image uses nginx).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build, preview, type Plugin } from "vite";

const WEB_ROOT = import.meta.dirname;
const STAMP = path.join(WEB_ROOT, "dist", ".build-hash");

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : [full];
    });
}

/** A hash of everything a build reads. */
export function webSourcesHash(): string {
  const hash = createHash("sha256");
  const inputs = [
    ...files(path.join(WEB_ROOT, "src")),
    ...files(path.join(WEB_ROOT, "graphiql")),
    ...files(path.join(WEB_ROOT, "public")),
    ...["index.html", "vite.config.ts", "vite.graphiql.config.ts", "package.json"].map((f) => path.join(WEB_ROOT, f)),
    path.join(WEB_ROOT, "..", "..", "pnpm-lock.yaml"),
  ];
  for (const file of inputs) if (existsSync(file)) hash.update(path.relative(WEB_ROOT, file)).update(readFileSync(file));
  return hash.digest("hex");
}

/** Builds the app and GraphiQL when their sources changed since the last build; returns whether it built. */
export async function buildWebIfStale(log: (line: string) => void = () => undefined): Promise<boolean> {
  const hash = webSourcesHash();
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === hash && existsSync(path.join(WEB_ROOT, "dist-graphiql", "index.html"))) return false;
  const started = Date.now();
  log("building the web app (apps/web)…");
  await build({ root: WEB_ROOT, configFile: path.join(WEB_ROOT, "vite.config.ts"), logLevel: "warn" });
  if (existsSync(path.join(WEB_ROOT, "vite.graphiql.config.ts"))) await build({ configFile: path.join(WEB_ROOT, "vite.graphiql.config.ts"), logLevel: "warn" }); // its own root (graphiql/)
  writeFileSync(STAMP, hash);
  log(`built the web app in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return true;
}

export interface WebServerOptions {
  port: number;
  host?: string;
  /** The router's GraphQL endpoint as the browser reaches it. */
  graphqlUrl: string;
}

export interface RunningWeb {
  url: string;
  close(): Promise<void>;
}

function runtimeConfig(graphqlUrl: string): Plugin {
  const body = `window.CLINIGRAPH_CONFIG = ${JSON.stringify({ graphqlUrl })};\n`;
  return {
    name: "clinigraph-runtime-config",
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url?.split("?")[0] !== "/config.js") return next();
        res.setHeader("content-type", "text/javascript; charset=utf-8");
        res.setHeader("cache-control", "no-store");
        res.end(body);
      });
    },
  };
}

/** Serves the built app (dist/) on `port`. */
export async function serveWeb(options: WebServerOptions): Promise<RunningWeb> {
  const host = options.host ?? "127.0.0.1";
  const server = await preview({
    root: WEB_ROOT,
    configFile: path.join(WEB_ROOT, "vite.config.ts"),
    logLevel: "warn",
    plugins: [runtimeConfig(options.graphqlUrl)],
    preview: { port: options.port, host, strictPort: true, open: false },
  });
  return {
    url: `http://${host}:${options.port}`,
    close: () => server.close(),
  };
}
