/**
 * GraphiQL, outside production (config.ts: on unless NODE_ENV=production): a browser opening GET /graphql gets the
 * offline GraphiQL that apps/web builds (`pnpm web:build` → apps/web/dist-graphiql, from apps/web/graphiql), and its
 * assets under /graphiql/. Only a GET that prefers text/html (a browser navigating) and carries no operation
 * (`query` or `extensions` parameter) gets the page: every other request still reaches the GraphQL handler, with
 * its CORS and CSRF checks unchanged. Without a build, the page says how to make one.
 *
 * The page's Content-Security-Policy allows its own origin only: scripts and Monaco's workers from /graphiql/assets
 * (workers may also be blob:), the inline styles Monaco sets, fonts inlined as data: URLs, and fetch/graphql-ws to
 * this origin ('self' covers ws:/wss: of the same host).
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import express, { type Express, type Request, type Response } from "express";
import type { Logger } from "@clinigraph/platform";

export const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** The page shown when the bundle is not built: inline, nothing to load. */
const NOT_BUILT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const NOT_BUILT_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Clinigraph GraphiQL: not built</title>
    <style>body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; } code { font-size: 0.95em; }</style>
  </head>
  <body>
    <h1>GraphiQL is not built yet</h1>
    <p>The router serves GraphiQL from the web app's build. Build it once, then reload this page:</p>
    <pre><code>pnpm web:build</code></pre>
    <p>(or only GraphiQL: <code>cd apps/web &amp;&amp; npx vite build --config vite.graphiql.config.ts</code>).
    The router looks in <code>apps/web/dist-graphiql</code>, or where <code>GRAPHIQL_DIR</code> says.</p>
    <p>GraphQL itself works: POST operations to this URL.</p>
  </body>
</html>
`;

/** Vite's hashed output: a changed file gets a new name, so these never need revalidating. */
const ASSETS = `assets${path.sep}`;
const IMMUTABLE = "public, max-age=31536000, immutable";

/** Serves GraphiQL (built into `dir`) on GET /graphql to browsers, and its assets under /graphiql/. Mount before /graphql. */
export function mountGraphiql(app: Express, dir: string, logger: Logger): void {
  const root = path.resolve(dir);
  // Checked on every request (a build after the start is picked up); said once here.
  if (!existsSync(path.join(root, "index.html"))) logger.warn({ dir: root }, "GraphiQL is not built: `pnpm web:build` builds it");
  const assets = express.Router();
  // The page itself lives on /graphql (its assets' URLs are absolute, /graphiql/assets/…).
  assets.get(["/", "/index.html"], (_req, res) => res.redirect(302, "/graphql"));
  assets.use(
    express.static(root, {
      index: false,
      redirect: false,
      cacheControl: false,
      setHeaders(res, file) {
        res.setHeader("cache-control", path.relative(root, file).startsWith(ASSETS) ? IMMUTABLE : "no-cache");
        res.setHeader("x-content-type-options", "nosniff");
      },
    }),
  );
  assets.use((_req, res) => {
    res.status(404).type("text/plain").send("Not found");
  });
  app.use("/graphiql", assets);

  app.get("/graphql", async (req, res, next) => {
    if (!wantsGraphiql(req)) return next();
    let html: string;
    let csp = GRAPHIQL_CSP;
    try {
      html = await readFile(path.join(root, "index.html"), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT" && (err as NodeJS.ErrnoException).code !== "ENOTDIR") return next(err);
      html = NOT_BUILT_HTML;
      csp = NOT_BUILT_CSP;
    }
    sendPage(res, html, csp);
  });
}

/** A browser navigating to /graphql: prefers HTML over GraphQL's JSON, and sends no operation. */
export function wantsGraphiql(req: Request): boolean {
  const params = new URL(req.originalUrl, "http://router.invalid").searchParams;
  if (params.has("query") || params.has("extensions")) return false;
  return req.accepts(["application/json", "application/graphql-response+json", "text/html"]) === "text/html";
}

function sendPage(res: Response, html: string, csp: string): void {
  res.setHeader("content-type", "text/html; charset=utf-8");
  res.setHeader("cache-control", "no-cache");
  res.setHeader("vary", "Accept");
  res.setHeader("content-security-policy", csp);
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("x-frame-options", "DENY");
  res.setHeader("referrer-policy", "no-referrer");
  res.send(html);
}
