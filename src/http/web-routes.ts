import { readFile } from "node:fs/promises";
import { join } from "node:path";
import express, { Router, type Request, type Response } from "express";
import { loadKnowledge } from "../knowledge/load-knowledge.ts";
import type { SourceDocument } from "../knowledge/source-document.ts";

export type WebRoutesOptions = {
  /** The built browser apps (dist/web): widget/ and demo/. */
  webDir: string;
  /** The knowledge folder the demo store shows its products from. */
  knowledgeDir: string;
  /** Origins allowed to embed the chat frame besides the server's own; "*" allows any. */
  allowedOrigins: readonly string[];
};

/** A product as the demo store shows it. */
export type DemoProduct = {
  sku: string;
  lang: "zh" | "en";
  name: string;
  category: string | null;
  price: string | null;
  launchDate: string | null;
  attributes: [string, string][];
  description: string;
  url: string | null;
};

const LOADER_CACHE = "public, max-age=300, stale-while-revalidate=86400";
const IMMUTABLE_CACHE = "public, max-age=31536000, immutable";
const CATALOG_TTL_MS = 60_000;

/**
 * The browser side of Kefu, served from dist/web: widget.js (the one script tag stores embed;
 * short-lived cache so a new release reaches every store within minutes), the chat frame with a
 * frame-ancestors policy from ALLOWED_ORIGINS, hashed assets cached forever, and the demo store at
 * /demo with its read-only product API.
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
    const host = request.get("host") ?? "";
    response.set({
      "Content-Security-Policy": [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        `connect-src 'self' ws://${host} wss://${host}`,
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
      const product = await catalog.get(String(request.params.sku), lang);
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

  router.get("/api/products", async (request, response, next) => {
    try {
      const lang = request.query.lang === "zh" ? "zh" : "en";
      const products = await catalog.list(lang);
      response.set("Cache-Control", "public, max-age=60").json({
        products: products.map(({ sku, name, category, price, launchDate, url }) => ({ sku, name, category, price, launchDate, url })),
      });
    } catch (error) {
      next(error);
    }
  });
  router.get("/api/products/:sku", async (request, response, next) => {
    try {
      const product = await catalog.get(String(request.params.sku), request.query.lang === "zh" ? "zh" : "en");
      if (!product) {
        response.status(404).json({ error: { code: "NOT_FOUND", message: "No product with this SKU." } });
        return;
      }
      response.set("Cache-Control", "public, max-age=60").json({ product });
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

/** An origin that can stand in a CSP source list as it is (nothing that could add a directive). */
function isSourceExpression(origin: string): boolean {
  return origin !== "*" && /^https?:\/\/[\w.-]+(:\d+)?$/i.test(origin);
}

/**
 * The demo's products, read with the same readers ingestion uses, from the knowledge folder:
 * read-only, re-read at most once a minute.
 */
class DemoCatalog {
  readonly #knowledgeDir: string;
  #loaded: { at: number; products: Promise<Map<string, DemoProduct>> } | null = null;

  constructor(knowledgeDir: string) {
    this.#knowledgeDir = knowledgeDir;
  }

  async list(lang: "zh" | "en"): Promise<DemoProduct[]> {
    const products = await this.#products();
    const skus = [...new Set([...products.values()].map((product) => product.sku))].sort();
    return skus.map((sku) => products.get(`${sku}:${lang}`) ?? products.get(`${sku}:${lang === "zh" ? "en" : "zh"}`)!);
  }

  async get(sku: string, lang: "zh" | "en"): Promise<DemoProduct | null> {
    const products = await this.#products();
    return products.get(`${sku}:${lang}`) ?? products.get(`${sku}:${lang === "zh" ? "en" : "zh"}`) ?? null;
  }

  #products(): Promise<Map<string, DemoProduct>> {
    if (!this.#loaded || Date.now() - this.#loaded.at > CATALOG_TTL_MS) {
      const products = loadKnowledge(this.#knowledgeDir).then(
        (loaded) => new Map(loaded.documents.filter((document) => document.kind === "product" && document.productId).map((document) => [`${document.productId}:${document.lang}`, toDemoProduct(document)])),
      );
      this.#loaded = { at: Date.now(), products };
      products.catch(() => (this.#loaded = null));
    }
    return this.#loaded.products;
  }
}

const OVERVIEW_LABELS = {
  category: /^(?:Category|类别)\s*[:：]\s*(.+)$/,
  price: /^(?:Price|价格)\s*[:：]\s*(.+)$/,
  launchDate: /^(?:Launch date|上市日期)\s*[:：]\s*(.+)$/,
};

/**
 * A catalog document back into the fields a product page shows: the overview section holds
 * category, price and launch date; the specifications section "key: value" pairs; the rest is
 * the description (see productToDocument).
 */
export function toDemoProduct(document: SourceDocument): DemoProduct {
  const [overview, ...rest] = document.sections;
  const facts = (overview?.text ?? "").split(/\.\s+|。/).map((part) => part.trim());
  const fact = (pattern: RegExp) => facts.map((part) => pattern.exec(part)?.[1]?.trim()).find(Boolean) ?? null;
  const specs = rest.find((section) => / · (?:Specifications|规格参数)$/.test(section.title));
  const attributes = (specs?.text ?? "")
    .split(/;\s+|；/)
    .map((pair) => /^(.+?)\s*[:：]\s*(.+)$/.exec(pair.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1]!, match[2]!] as [string, string]);
  return {
    sku: document.productId!,
    lang: document.lang,
    name: document.title,
    category: fact(OVERVIEW_LABELS.category),
    price: fact(OVERVIEW_LABELS.price)?.replace(/[.。]$/, "") ?? null,
    launchDate: fact(OVERVIEW_LABELS.launchDate)?.replace(/[.。]$/, "") ?? null,
    attributes,
    description: rest.filter((section) => section !== specs).map((section) => section.text).join("\n\n"),
    url: document.url,
  };
}
