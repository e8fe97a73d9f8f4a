/**
 * The router's GraphiQL (router/src/graphiql.ts): a second, separate build of this package, from graphiql/ to
 * dist-graphiql/, served by the router on GET /graphql outside production. Everything it needs is bundled —
 * Monaco's workers (graphiql/setup-workers/vite) and GraphiQL's fonts (inlined in its CSS) — so it works offline.
 */
import path from "node:path";
import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";

const ROOT = path.join(import.meta.dirname, "graphiql");

/**
 * Keeps this build's root at graphiql/ even when a caller passes its own (`build({ root: "apps/web", configFile })`
 * would otherwise build the app's index.html into dist-graphiql): plugins' `config` hooks apply after inline config.
 */
const pinRoot = (): Plugin => ({ name: "clinigraph-graphiql-root", config: () => ({ root: ROOT }) });

export default defineConfig({
  root: ROOT,
  // The router serves the assets under /graphiql/ and the page itself on /graphql.
  base: "/graphiql/",
  publicDir: false,
  plugins: [pinRoot(), react()],
  worker: { format: "es" },
  build: {
    outDir: path.join(import.meta.dirname, "dist-graphiql"),
    emptyOutDir: true,
    // Monaco is large and loads once per session of a developer tool.
    chunkSizeWarningLimit: 5_000,
    rolldownOptions: {
      // GraphiQL's packages start with React Compiler's "use no memo": meaningless in a bundle, and one warning each.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
  },
});
