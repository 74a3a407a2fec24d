import { pickLocale, type Locale } from "../../shared/locale.ts";
import "./demo.css";

/**
 * The demo storefront: a home page of products and a page per product, drawn from the sample
 * store's catalog through /api/products. It is an ordinary store page: the Kefu widget on it
 * comes from the one script tag the server put at the end of the body.
 */
type ProductSummary = { sku: string; name: string; category: string | null; price: string | null; launchDate: string | null; url: string | null };
type Product = ProductSummary & { attributes: [string, string][]; description: string };
type HelpSummary = { id: string; title: string };
type HelpPage = HelpSummary & { sections: { title: string; text: string }[] };

const TEXT = {
  en: {
    store: "Pinebrook Living",
    tagline: "Kitchen, home and outdoor goods, delivered in 2–4 days",
    heroTitle: "Things that last, for every room",
    heroBody: "Ask our assistant anything about a product: it answers from our own product pages and help centre, and hands you to a person when it should.",
    all: "All products",
    home: "Home",
    newBadge: "New",
    launched: "Launched",
    addToCart: "Add to cart",
    ask: "Ask about this product",
    specs: "Specifications",
    about: "About this product",
    more: "More in",
    toast: "This is a demo store: nothing is sold here.",
    notFound: "We could not find this page.",
    help: "Help centre",
    footer: "A demo store for Kefu. The products, prices and people are invented.",
    perks: ["Free shipping from ¥99", "30-day returns", "Service 9:00–22:00"],
  },
  zh: {
    store: "松溪生活",
    tagline: "厨房、家居与户外好物，2–4 天送达",
    heroTitle: "经久耐用的好物，给家里每个角落",
    heroBody: "关于商品的任何问题都可以问我们的智能助手：它依据店铺的商品页和帮助中心回答，需要时为您转接人工客服。",
    all: "全部商品",
    home: "首页",
    newBadge: "新品",
    launched: "上市日期",
    addToCart: "加入购物车",
    ask: "咨询这件商品",
    specs: "规格参数",
    about: "商品介绍",
    more: "更多",
    toast: "这是演示商店，不会真正下单。",
    notFound: "没有找到这个页面。",
    help: "帮助中心",
    footer: "Kefu 演示商店。商品、价格和人物均为虚构。",
    perks: ["满 ¥99 包邮", "30 天无忧退货", "人工客服 9:00–22:00"],
  },
} satisfies Record<Locale, unknown>;

/** "Today" in the sample store's data, so "new" means the same thing whenever the demo runs. */
const STORE_TODAY = Date.parse("2026-11-22");
const NEW_DAYS = 90;

const lang = pickLocale(document.documentElement.lang);
const t = TEXT[lang];
const root = document.getElementById("store")!;

async function main(): Promise<void> {
  const { page, sku, help: helpId } = document.body.dataset;
  const [{ products }, { pages }] = await Promise.all([
    getJson<{ products: ProductSummary[] }>(`/api/products?lang=${lang}`),
    getJson<{ pages: HelpSummary[] }>(`/api/help?lang=${lang}`),
  ]);
  helpPages = pages;
  if (page === "product" && sku) {
    const response = await fetch(`/api/products/${encodeURIComponent(sku)}?lang=${lang}`);
    if (response.ok) return render(productPage(((await response.json()) as { product: Product }).product, products));
  }
  if (page === "help" && helpId) {
    const response = await fetch(`/api/help/${encodeURIComponent(helpId)}?lang=${lang}`);
    if (response.ok) return render(helpPage(((await response.json()) as { page: HelpPage }).page));
  }
  render(homePage(products, page !== "index"));
}

let helpPages: HelpSummary[] = [];

function render(content: string): void {
  root.innerHTML = `${header()}<main class="main">${content}</main>${footer()}`;
  root.querySelector("[data-ask]")?.addEventListener("click", () => (window as { Kefu?: { open(): void } }).Kefu?.open());
  root.querySelector("[data-cart]")?.addEventListener("click", () => toast(t.toast));
}

function header(): string {
  const other = lang === "zh" ? { code: "en", label: "English" } : { code: "zh", label: "中文" };
  return `
    <div class="perks">${t.perks.map((perk) => `<span>${perk}</span>`).join("")}</div>
    <header class="header">
      <a class="brand" href="/demo/">
        <svg viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="8" fill="#1f3a2e"/><path d="M16 6l7 10h-4l5 8H8l5-8H9z" fill="#e9d8a6"/></svg>
        <span><strong>${t.store}</strong><small>${t.tagline}</small></span>
      </a>
      <a class="language" href="?lang=${other.code}" lang="${other.code}">${other.label}</a>
    </header>`;
}

function footer(): string {
  const links = helpPages.map((page) => `<a href="/demo/help/${encodeURIComponent(page.id)}">${escape(page.title)}</a>`).join("");
  return `<footer class="footer"><nav aria-label="${t.help}"><strong>${t.help}</strong>${links}</nav><p>${t.footer}</p></footer>`;
}

function helpPage(page: HelpPage): string {
  return `
    <nav class="crumbs" aria-label="breadcrumb"><a href="/demo/">${t.home}</a><span aria-hidden="true">/</span><span>${t.help}</span></nav>
    <article class="help">
      <h1>${escape(page.title)}</h1>
      ${page.sections.map((section) => section.title === page.title ? `<p class="intro">${escape(section.text)}</p>` : `<section><h2>${escape(section.title)}</h2>${section.text.split(/\n{2,}/).map((text) => `<p>${escape(text)}</p>`).join("")}</section>`).join("")}
    </article>`;
}

function homePage(products: ProductSummary[], notFound: boolean): string {
  return `
    ${notFound ? `<p class="notice">${t.notFound}</p>` : ""}
    <section class="hero">
      <h1>${t.heroTitle}</h1>
      <p>${t.heroBody}</p>
    </section>
    <h2 class="section-title">${t.all}</h2>
    <ul class="grid">${products.map(card).join("")}</ul>`;
}

function productPage(product: Product, products: ProductSummary[]): string {
  const related = products.filter((other) => other.category === product.category && other.sku !== product.sku).slice(0, 4);
  return `
    <nav class="crumbs" aria-label="breadcrumb"><a href="/demo/">${t.home}</a><span aria-hidden="true">/</span><span>${escape(product.category ?? "")}</span></nav>
    <article class="product" data-sku="${escape(product.sku)}">
      <div class="picture" style="--hue:${hue(product.sku)}">${picture(product)}</div>
      <div class="buy">
        <p class="category">${escape(product.category ?? "")}${isNew(product) ? `<span class="badge">${t.newBadge}</span>` : ""}</p>
        <h1>${escape(product.name)}</h1>
        <p class="price">${escape(product.price ?? "")}</p>
        ${product.launchDate ? `<p class="launched">${t.launched}: ${escape(product.launchDate)}</p>` : ""}
        <div class="actions">
          <button type="button" class="button primary" data-cart>${t.addToCart}</button>
          <button type="button" class="button" data-ask>${t.ask}</button>
        </div>
        <p class="sku">SKU ${escape(product.sku)}</p>
      </div>
    </article>
    <section class="details">
      <div>
        <h2>${t.about}</h2>
        ${product.description.split(/\n{2,}/).map((paragraph) => `<p>${escape(paragraph)}</p>`).join("")}
      </div>
      <div>
        <h2>${t.specs}</h2>
        <dl class="specs">${product.attributes.map(([key, value]) => `<div><dt>${escape(key)}</dt><dd>${escape(value)}</dd></div>`).join("")}</dl>
      </div>
    </section>
    ${related.length > 0 ? `<h2 class="section-title">${t.more} ${escape(product.category ?? "")}</h2><ul class="grid">${related.map(card).join("")}</ul>` : ""}`;
}

function card(product: ProductSummary): string {
  return `
    <li class="card">
      <a href="/demo/products/${encodeURIComponent(product.sku)}">
        <div class="picture small" style="--hue:${hue(product.sku)}">${picture(product)}</div>
        <p class="category">${escape(product.category ?? "")}${isNew(product) ? `<span class="badge">${t.newBadge}</span>` : ""}</p>
        <h3>${escape(product.name)}</h3>
        <p class="price">${escape(product.price ?? "")}</p>
      </a>
    </li>`;
}

/** No photos in the sample data: a calm tile with a parcel drawing and the SKU stands in. */
function picture(product: ProductSummary): string {
  return `<svg viewBox="0 0 64 64" aria-hidden="true"><path d="M32 6 56 18v28L32 58 8 46V18z" fill="rgba(255,255,255,.55)" stroke="currentColor" stroke-width="2.5" stroke-linejoin="round"/><path d="M8 18l24 12 24-12M32 30v28M20 12l24 12" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linejoin="round"/></svg><small>${escape(product.sku)}</small>`;
}

function hue(sku: string): number {
  let hash = 0;
  for (const character of sku) hash = (hash * 31 + character.charCodeAt(0)) % 360;
  return hash;
}

function isNew(product: ProductSummary): boolean {
  const launched = product.launchDate ? Date.parse(product.launchDate) : Number.NaN;
  return STORE_TODAY - launched <= NEW_DAYS * 86_400_000 && STORE_TODAY >= launched;
}

function toast(message: string): void {
  const element = document.createElement("p");
  element.className = "toast";
  element.setAttribute("role", "status");
  element.textContent = message;
  document.body.append(element);
  setTimeout(() => element.remove(), 2500);
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return (await response.json()) as T;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

void main();
