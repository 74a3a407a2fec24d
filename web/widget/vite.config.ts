import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The chat frame (frame.html and its hashed assets), served by the Kefu server at /widget/ and
 * loaded by widget.js in an iframe. The loader itself is built by vite.loader.config.ts.
 */
export default defineConfig({
  root: here("."),
  // Relative URLs: the frame works wherever the server mounts /widget/.
  base: "./",
  publicDir: false,
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: here("../../dist/web/widget/"),
    emptyOutDir: false,
    target: "es2022",
    // One entry chunk: nothing to preload, and no polyfill code to ship.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rolldownOptions: { input: { frame: here("frame.html") } },
  },
});
