import { readFile } from "node:fs/promises";
import { join } from "node:path";
import express, { Router, type Request, type Response } from "express";
import { DemoCatalog } from "./demo-catalog.ts";

export type WebRoutesOptions = {
  /** The built browser apps (dist/web): widget/ and demo/. */
  webDir: string;
  /** The knowledge folder the demo store shows its products from. */
  knowledgeDir: string;
  /** Origins allowed to embed the chat frame besides the server's own; "*" allows any. */
  allowedOrigins: readonly string[];
};

const LOADER_CACHE = "public, max-age=300, stale-while-revalidate=86400";
const IMMUTABLE_CACHE = "public, max-age=31536000, immutable";

/**
 * The browser side of Kefu, served from dist/web: widget.js (the one script tag stores embed;
 * short-lived cache so a new release reaches every store within minutes), the chat frame with a
 * frame-ancestors policy from ALLOWED_ORIGINS, hashed assets cached forever, and the demo store at
 * /demo (products and help pages of the sample knowledge) with its read-only JSON API.
 */
export function createWebRoutes(options: WebRoutesOptions): Router {
  const router = Router();
  const widgetDir = join(options.webDir, "widget");
  const demoDir = join(options.webDir, "demo");
  const catalog = new DemoCatalog(options.knowledgeDir);
  const frameAncestors = ["'self'", ...options.allowedOrigins.filter(isSourceExpression)].join(" ");

  router.get("/widget.js", (_request, response) => {
    sendBuilt(response, join(widgetDir, "widget.js"), { "Cache-Control": LOADER_CACHE, "Access-Control-Allow-Origin": "*" });
  });
  router.use("/widget/assets", express.static(join(widgetDir, "assets"), { index: false, immutable: true, maxAge: "365d", fallthrough: true }));
  router.get(["/widget/frame.html", "/widget/"], (request, response) => {
    response.set({
      "Content-Security-Policy": [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        connectSources(request.get("host")),
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
        `frame-ancestors ${options.allowedOrigins.includes("*") ? "*" : frameAncestors}`,
      ].join("; "),
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
    });
    sendBuilt(response, join(widgetDir, "frame.html"), { "Cache-Control": "no-cache" });
  });

  router.use("/demo/assets", express.static(join(demoDir, "assets"), { index: false, immutable: true, maxAge: "365d", fallthrough: true }));
  router.get(["/demo", "/demo/"], async (request, response, next) => {
    try {
      const lang = demoLanguage(request, response);
      await sendTemplate(response, join(demoDir, "index.html"), { lang, title: "Pinebrook Living", widget: widgetTag({ lang }) });
    } catch (error) {
      next(error);
    }
  });
  router.get("/demo/products/:sku", async (request, response, next) => {
    try {
      const lang = demoLanguage(request, response);
      const product = await catalog.product(String(request.params.sku), lang);
      if (!product) {
        response.status(404);
        await sendTemplate(response, join(demoDir, "index.html"), { lang, title: "Pinebrook Living", widget: widgetTag({ lang }) });
        return;
      }
      await sendTemplate(response, join(demoDir, "product.html"), { lang, title: product.name, sku: product.sku, widget: widgetTag({ lang, sku: product.sku }) });
    } catch (error) {
      next(error);
    }
  });

  router.get("/demo/help/:id", async (request, response, next) => {
    try {
      const lang = demoLanguage(request, response);
      const page = await catalog.help(String(request.params.id), lang);
      if (!page) response.status(404);
      await sendTemplate(response, join(demoDir, "help.html"), { lang, title: page?.title ?? "Pinebrook Living", id: page?.id ?? "", widget: widgetTag({ lang }) });
    } catch (error) {
      next(error);
    }
  });
  // The sample knowledge links its help pages as the store would (/help/<id>, /zh/help/<id>); here they are the demo's.
  // The agent dashboard: a single-page app, so every path under /dashboard gets index.html.
  const dashboardDir = join(options.webDir, "dashboard");
  router.use("/dashboard/assets", express.static(join(dashboardDir, "assets"), { index: false, immutable: true, maxAge: "365d", fallthrough: false }));
  router.get(["/dashboard", "/dashboard/", "/dashboard/{*path}"], (request, response) => {
    response.set({
      "Content-Security-Policy": ["default-src 'self'", "script-src 'self'", "style-src 'self'", connectSources(request.get("host")), "img-src 'self' data:", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"].join("; "),
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
    });
    sendBuilt(response, join(dashboardDir, "index.html"), { "Cache-Control": "no-cache" });
  });

  router.get("/help/:id", (request, response) => response.redirect(302, `/demo/help/${encodeURIComponent(String(request.params.id))}?lang=en`));
  router.get("/zh/help/:id", (request, response) => response.redirect(302, `/demo/help/${encodeURIComponent(String(request.params.id))}?lang=zh`));

  router.get("/api/products", async (request, response, next) => {
    try {
      const lang = request.query.lang === "zh" ? "zh" : "en";
      const products = await catalog.listProducts(lang);
      response.set("Cache-Control", "public, max-age=60").json({
        products: products.map(({ sku, name, category, price, launchDate, url }) => ({ sku, name, category, price, launchDate, url })),
      });
    } catch (error) {
      next(error);
    }
  });
  router.get("/api/products/:sku", async (request, response, next) => {
    try {
      const product = await catalog.product(String(request.params.sku), request.query.lang === "zh" ? "zh" : "en");
      if (!product) {
        response.status(404).json({ error: { code: "NOT_FOUND", message: "No product with this SKU." } });
        return;
      }
      response.set("Cache-Control", "public, max-age=60").json({ product });
    } catch (error) {
      next(error);
    }
  });
  router.get("/api/help", async (request, response, next) => {
    try {
      const pages = await catalog.listHelp(request.query.lang === "zh" ? "zh" : "en");
      response.set("Cache-Control", "public, max-age=60").json({ pages: pages.map(({ id, title, url }) => ({ id, title, url })) });
    } catch (error) {
      next(error);
    }
  });
  router.get("/api/help/:id", async (request, response, next) => {
    try {
      const page = await catalog.help(String(request.params.id), request.query.lang === "zh" ? "zh" : "en");
      if (!page) {
        response.status(404).json({ error: { code: "NOT_FOUND", message: "No help page with this id." } });
        return;
      }
      response.set("Cache-Control", "public, max-age=60").json({ page });
    } catch (error) {
      next(error);
    }
  });
  return router;
}

/** Send a file from dist/web, or say plainly that the browser apps have not been built. */
function sendBuilt(response: Response, path: string, headers: Record<string, string>): void {
  response.sendFile(path, { headers, cacheControl: false, dotfiles: "deny" }, (error) => {
    if (!error || response.headersSent) return;
    response.status(503).type("text/plain").send("Kefu's browser apps are not built: run `npm run build`.");
  });
}

const templates = new Map<string, Promise<string>>();

/** The demo's built pages carry {{name}} placeholders filled here (escaped; widget is a trusted tag). */
async function sendTemplate(response: Response, path: string, values: Record<string, string>): Promise<void> {
  let template = templates.get(path);
  if (!template) {
    template = readFile(path, "utf8");
    templates.set(path, template);
    template.catch(() => templates.delete(path));
  }
  let html: string;
  try {
    html = await template;
  } catch {
    response.status(503).type("text/plain").send("Kefu's browser apps are not built: run `npm run build`.");
    return;
  }
  const filled = html.replace(/\{\{(\w+)\}\}/g, (_, name: string) => (name === "widget" ? (values.widget ?? "") : escapeHtml(values[name] ?? "")));
  response.set("Cache-Control", "no-cache").type("html").send(filled);
}

function widgetTag(options: { lang: string; sku?: string }): string {
  const product = options.sku ? ` data-product="${escapeHtml(options.sku)}"` : "";
  return `<script src="/widget.js"${product} data-locale="${escapeHtml(options.lang)}" data-title="${options.lang === "zh" ? "松溪生活 · 在线客服" : "Pinebrook Living"}" async></script>`;
}

/** ?lang= (remembered in a cookie for the demo's other pages), else the browser's languages. */
function demoLanguage(request: Request, response: Response): "zh" | "en" {
  const asked = request.query.lang;
  if (asked === "zh" || asked === "en") {
    response.cookie("kefu_demo_lang", asked, { path: "/demo", sameSite: "lax", httpOnly: false });
    return asked;
  }
  const cookie = /(?:^|;\s*)kefu_demo_lang=(zh|en)\b/.exec(request.get("cookie") ?? "")?.[1];
  if (cookie === "zh" || cookie === "en") return cookie;
  return request.acceptsLanguages("en", "zh") === "zh" ? "zh" : "en";
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * connect-src for the page's own socket.io connection. 'self' covers ws(s): in current browsers;
 * the Host is added for older ones only when it is a plain host[:port], so a forged Host header
 * cannot add sources or directives to the policy.
 */
function connectSources(host: string | undefined): string {
  if (!host || !/^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i.test(host)) return "connect-src 'self'";
  return `connect-src 'self' ws://${host} wss://${host}`;
}

/** An origin that can stand in a CSP source list as it is (nothing that could add a directive). */
function isSourceExpression(origin: string): boolean {
  return origin !== "*" && /^https?:\/\/[\w.-]+(:\d+)?$/i.test(origin);
}
