import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));
const server = process.env.KEFU_URL ?? "http://localhost:3000";

/** The agent dashboard: a Preact single-page app served by the Kefu server at /dashboard/. */
export default defineConfig({
  root,
  base: "/dashboard/",
  publicDir: false,
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: fileURLToPath(new URL("../../dist/web/dashboard/", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    // One entry chunk: nothing to preload, and no polyfill code to ship.
    modulePreload: { polyfill: false },
    sourcemap: true,
    reportCompressedSize: true,
  },
  // `npx vite --config web/dashboard/vite.config.ts` serves the dashboard with hot reload against a running server.
  server: {
    proxy: {
      "/api": server,
      "/socket.io": { target: server, ws: true },
    },
  },
});
