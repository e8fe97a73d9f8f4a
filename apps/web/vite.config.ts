/**
 * The web app's build: a static single-page app (dist/). Pages of each role are separate chunks loaded when first
 * opened, so a patient's first page carries neither the doctor's screens nor the dashboard's charts.
 */
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  // The manifest tells bench/web-bundle.ts which chunks each page loads.
  build: { outDir: "dist", sourcemap: true, manifest: true, chunkSizeWarningLimit: 700 },
  // `vite` (dev server) on 3000: the app calls its own origin's /graphql (public/config.js sets no router address),
  // passed on to the router of a running `pnpm start` (CLINIGRAPH_DEV_ROUTER to point elsewhere), WebSockets included.
  // The dev server pre-bundles what the app imports (GraphiQL, in graphiql/, has its own build).
  optimizeDeps: { entries: ["index.html"] },
  server: {
    host: "127.0.0.1",
    port: 3000,
    strictPort: true,
    proxy: { "/graphql": { target: process.env.CLINIGRAPH_DEV_ROUTER ?? "http://127.0.0.1:4000", ws: true } },
  },
  preview: { host: "127.0.0.1", port: 3000, strictPort: true },
});
