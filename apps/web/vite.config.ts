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
  server: { host: "127.0.0.1", port: 3000, strictPort: true },
  preview: { host: "127.0.0.1", port: 3000, strictPort: true },
});
