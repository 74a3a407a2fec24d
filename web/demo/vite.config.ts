import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The demo storefront served by the Kefu server at /demo: a home page, a product page and a help page
 * template. The server fills their {{placeholders}} (language, SKU, the widget's script tag).
 */
export default defineConfig({
  root: here("."),
  base: "/demo/",
  publicDir: false,
  build: {
    outDir: here("../../dist/web/demo/"),
    emptyOutDir: false,
    target: "es2022",
    modulePreload: { polyfill: false },
    rolldownOptions: { input: { index: here("index.html"), product: here("product.html"), help: here("help.html") } },
  },
});
