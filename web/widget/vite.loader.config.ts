import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * widget.js, the loader a store embeds with one script tag: a classic script wrapped in a
 * function scope (no globals but window.Kefu), not hashed, so the tag never changes; the server
 * gives it a short cache lifetime instead.
 */
export default defineConfig({
  root: here("."),
  publicDir: false,
  build: {
    outDir: here("../../dist/web/widget/"),
    emptyOutDir: false,
    target: "es2022",
    lib: { entry: here("src/loader/loader.ts"), formats: ["iife"], name: "KefuLoader", fileName: () => "widget.js" },
  },
});
