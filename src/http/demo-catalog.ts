import { loadKnowledge } from "../knowledge/load-knowledge.ts";
import type { SourceDocument } from "../knowledge/source-document.ts";

type Lang = "zh" | "en";

/** A product as the demo store shows it. */
export type DemoProduct = {
  sku: string;
  lang: Lang;
  name: string;
  category: string | null;
  price: string | null;
  launchDate: string | null;
  attributes: [string, string][];
  description: string;
  url: string | null;
};

/** A help-centre page of the demo store: one FAQ or policy file, its entries as sections. */
export type DemoHelpPage = { id: string; lang: Lang; title: string; sections: { title: string; text: string }[]; url: string | null };

const TTL_MS = 60_000;

/**
 * What the demo store shows, read from the knowledge folder with the same readers ingestion
 * uses: read-only, re-read at most once a minute. Lookups fall back to the other language.
 */
export class DemoCatalog {
  readonly #knowledgeDir: string;
  #loaded: { at: number; content: Promise<{ products: Map<string, DemoProduct>; help: Map<string, DemoHelpPage> }> } | null = null;

  constructor(knowledgeDir: string) {
    this.#knowledgeDir = knowledgeDir;
  }

  async listProducts(lang: Lang): Promise<DemoProduct[]> {
    const { products } = await this.#content();
    const skus = [...new Set([...products.values()].map((product) => product.sku))].sort();
    return skus.map((sku) => pick(products, sku, lang)!);
  }

  async product(sku: string, lang: Lang): Promise<DemoProduct | null> {
    return pick((await this.#content()).products, sku, lang);
  }

  async listHelp(lang: Lang): Promise<DemoHelpPage[]> {
    const { help } = await this.#content();
    const ids = [...new Set([...help.values()].map((page) => page.id))].sort();
    return ids.map((id) => pick(help, id, lang)!);
  }

  async help(id: string, lang: Lang): Promise<DemoHelpPage | null> {
    return pick((await this.#content()).help, id, lang);
  }

  #content() {
    if (!this.#loaded || Date.now() - this.#loaded.at > TTL_MS) {
      const content = loadKnowledge(this.#knowledgeDir).then((loaded) => {
        const products = new Map<string, DemoProduct>();
        const help = new Map<string, DemoHelpPage>();
        for (const document of loaded.documents) {
          if (document.kind === "product" && document.productId) products.set(`${document.productId}:${document.lang}`, toDemoProduct(document));
          const faq = /^faq:(.+):(?:en|zh)$/.exec(document.id);
          if (faq) help.set(`${faq[1]}:${document.lang}`, { id: faq[1]!, lang: document.lang, title: document.title, sections: document.sections, url: document.url });
        }
        return { products, help };
      });
      this.#loaded = { at: Date.now(), content };
      content.catch(() => (this.#loaded = null));
    }
    return this.#loaded.content;
  }
}

function pick<T>(items: Map<string, T>, key: string, lang: Lang): T | null {
  return items.get(`${key}:${lang}`) ?? items.get(`${key}:${lang === "zh" ? "en" : "zh"}`) ?? null;
}

const OVERVIEW_LABELS = {
  category: /^(?:Category|类别)\s*[:：]\s*(.+)$/,
  price: /^(?:Price|价格)\s*[:：]\s*(.+)$/,
  launchDate: /^(?:Launch date|上市日期)\s*[:：]\s*(.+)$/,
};

/**
 * A catalog document back into the fields a product page shows: the overview section holds
 * category, price and launch date; the specifications section "key: value" pairs; the rest is
 * the description (the reverse of productToDocument).
 */
export function toDemoProduct(document: SourceDocument): DemoProduct {
  const [overview, ...rest] = document.sections;
  const facts = (overview?.text ?? "").split(/\.\s+|。/).map((part) => part.trim());
  const fact = (pattern: RegExp) => facts.map((part) => pattern.exec(part)?.[1]?.trim().replace(/[.。]$/, "")).find(Boolean) ?? null;
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
    price: fact(OVERVIEW_LABELS.price),
    launchDate: fact(OVERVIEW_LABELS.launchDate),
    attributes,
    description: rest.filter((section) => section !== specs).map((section) => section.text).join("\n\n"),
    url: document.url,
  };
}
