import { LoopSlices } from "../loop-slices.ts";
import { bySkuOrder } from "./catalog-change.ts";
import { contentWords, lexicalTerms, normalizeText } from "../text/segment.ts";
import type { ShopProduct } from "./shop-product.ts";

/** A product and how much of what the shopper wrote its names and category cover, in [0, 1]. */
export type NameMatch = { product: ShopProduct; score: number };

/** Words that ask or refer, never name a kind of product. */
const NOT_NAMES = new Set(
  ("go goes going fit fits work works use used keep need needs get gets make makes come comes " +
    "recommend recommendation suggest looking look show need want buy get any something anything one ones product products item items store shop sell " +
    "have got best good better cheap cheaper cheapest expensive new newest latest arrivals launched released month year price budget " +
    "compare comparison versus vs difference between which similar like else other alternative alternatives instead " +
    "推荐 有 什么 哪些 哪款 哪个 款 一款 东西 产品 商品 买 想 找 新品 新款 最新 便宜 贵 价格 预算 区别 对比 比较 类似 其他 别的 这款 这两款 两款 三款 之间 以内 以下 左右 元 块").split(" "),
);

/** English plurals as their singular, so "speakers" finds "Speaker". */
const stem = (word: string) => (/^[a-z]{4,}$/.test(word) ? word.replace(/ies$/, "y").replace(/(?<!s)s$/, "") : word);

/**
 * Naming terms of a text: content words (stemmed), Han bigrams, and the last character of each Han
 * run (a Chinese name ends with its head noun: "锅" in "铸铁煎锅"); other lone Han characters name nothing.
 */
const terms = (text: string) => {
  const words = contentWords(text).map(stem).filter((word) => !NOT_NAMES.has(word));
  const heads = [...text.matchAll(/\p{Script=Han}+/gu)].map((run) => [...run[0]].at(-1)!);
  return [...lexicalTerms(words).filter((term) => !NOT_NAMES.has(term) && !/^\p{Script=Han}$/u.test(term)), ...heads.filter((head) => !NOT_NAMES.has(head))];
};

/**
 * The head nouns of a text's Chinese names: the last character of each Han run ("壶" of "电水壶",
 * "被" of "羽绒被"), leaving out units after a number ("8 升") and words that name nothing.
 */
const headsOf = (text: string) =>
  [...text.matchAll(/(\d\s*)?(\p{Script=Han}+)/gu)].flatMap((run) => (run[1] ? [] : [[...run[2]!].at(-1)!])).filter((head) => !NOT_NAMES.has(head));

/** Each lower-cased SKU's first product by catalog position, and the lengths SKUs come in. */
type SkuTable = { byText: Map<string, { product: ShopProduct; position: number }>; lengths: number[] };

/** What a product's names say: their naming terms, and the head nouns of its Chinese name (never changed once made). */
type Analyzed = { terms: ReadonlySet<string>; heads: ReadonlySet<string> };

/** Marks a NameIndex that NameIndex.build fills in slices. */
const IN_SLICES: unique symbol = Symbol("in slices");

/**
 * An index of the catalog's product names and categories (every language), weighted by inverse
 * document frequency so the brand ("Pinebrook", "松溪") counts for nothing and "purifier" or
 * "空气炸锅" for a lot. Model codes ("AP40", "E2") and SKUs are terms like any other: rare, so strong.
 */
export class NameIndex {
  readonly #products: readonly ShopProduct[];
  readonly #termsBySku = new Map<string, ReadonlySet<string>>();
  /** The products whose names hold each term, in catalog order (so a question visits only the products it names). */
  readonly #productsByTerm = new Map<string, ShopProduct[]>();
  readonly #idf = new Map<string, number>();
  readonly #headsBySku = new Map<string, ReadonlySet<string>>();
  readonly #documentFrequency = new Map<string, number>();
  /** Each lower-cased SKU's first product, by catalog position, and the lengths SKUs come in (see skuIn). */
  #skus: SkuTable | null = null;
  /** The naming terms and Chinese heads of each names text, kept for the next generation's index. */
  readonly #analyzed = new Map<string, Analyzed>();
  /** The previous generation's analyses, while this index is being built (most names do not change). */
  #reuse: ReadonlyMap<string, Analyzed>;

  /**
   * With `previous` (the index of the catalog this one replaces), names that did not change are not
   * analysed again: a new version of a 28k-product catalog changes a few of them.
   */
  constructor(products: readonly ShopProduct[], previous: NameIndex | null = null, inSlices?: typeof IN_SLICES) {
    this.#products = products;
    this.#reuse = previous ? previous.#analyzed : new Map();
    if (inSlices) return;
    for (const product of products) this.#add(product);
    this.#weigh();
  }

  /** The same index, built in slices that leave the event loop to others every few ms (a large catalog takes hundreds of ms). */
  static async build(products: readonly ShopProduct[], previous: NameIndex | null = null): Promise<NameIndex> {
    const index = new NameIndex(products, previous, IN_SLICES);
    const slices = new LoopSlices();
    for (const product of products) {
      index.#add(product);
      await slices.pause();
    }
    index.#weigh();
    return index;
  }

  #add(product: ShopProduct): void {
    const text = (["en", "zh"] as const).flatMap((lang) => {
      const entry = product.entries[lang];
      return entry ? [entry.name, entry.category] : [];
    }).join(" ");
    const zhName = product.entries.zh?.name ?? "";
    const key = `${text}\n${zhName}`;
    const analyzed = this.#analyzed.get(key) ?? this.#reuse.get(key) ?? { terms: new Set(terms(text)), heads: new Set(headsOf(zhName)) };
    this.#analyzed.set(key, analyzed);
    this.#headsBySku.set(product.sku, analyzed.heads);
    this.#termsBySku.set(product.sku, analyzed.terms);
    for (const term of analyzed.terms) {
      this.#documentFrequency.set(term, (this.#documentFrequency.get(term) ?? 0) + 1);
      const holders = this.#productsByTerm.get(term);
      if (holders) holders.push(product);
      else this.#productsByTerm.set(term, [product]);
    }
  }

  #weigh(): void {
    for (const [term, frequency] of this.#documentFrequency) this.#idf.set(term, Math.log((this.#products.length + 1) / frequency));
    this.#documentFrequency.clear();
    this.#reuse = new Map();
  }

  /** The question's terms that name something in this catalog, with their weights. */
  namingTerms(text: string): Map<string, number> {
    const found = new Map<string, number>();
    for (const term of terms(text)) {
      const weight = this.#idf.get(term);
      if (weight !== undefined && weight > 0.05) found.set(term, weight);
    }
    return found;
  }

  /** Products by the share of the text's naming weight their names cover; best first, none when the text names nothing. */
  match(text: string): NameMatch[] {
    const naming = this.namingTerms(text);
    const total = [...naming.values()].reduce((sum, weight) => sum + weight, 0);
    if (total === 0) return [];
    // Each product's weights are added in the order of the question's terms, as a scan would add them.
    const covered = new Map<ShopProduct, number>();
    for (const [term, weight] of naming) {
      for (const product of this.#productsByTerm.get(term) ?? []) covered.set(product, (covered.get(product) ?? 0) + weight);
    }
    const matches: NameMatch[] = [];
    for (const [product, weight] of covered) matches.push({ product, score: weight / total });
    return matches.sort((a, b) => b.score - a.score || bySkuOrder(a.product, b.product));
  }

  /** How alike two products' names are (shared naming weight over the smaller one's), for "something similar". */
  similarity(a: ShopProduct, b: ShopProduct): number {
    const own = this.#termsBySku.get(a.sku)!;
    const other = this.#termsBySku.get(b.sku)!;
    let shared = 0;
    let total = 0;
    for (const term of own) {
      const weight = this.#idf.get(term) ?? 0;
      total += weight;
      if (other.has(term)) shared += weight;
    }
    return total === 0 ? 0 : shared / total;
  }

  /** The head nouns of the Chinese names in a question ("壶" in "200到400元的电水壶"). */
  questionHeads(text: string): Set<string> {
    return new Set(headsOf(text));
  }

  /** Whether the product's Chinese name ends in one of these head nouns (a "水壶" is a "壶", a "羽绒服" is no "被"). */
  hasHead(product: ShopProduct, heads: ReadonlySet<string>): boolean {
    for (const head of this.#headsBySku.get(product.sku) ?? []) if (heads.has(head)) return true;
    return false;
  }

  /**
   * A SKU written in the text, exactly: of several, the first in catalog order. Each stretch of the
   * text as long as some SKU is looked up (a handful of lengths), rather than every SKU searched for.
   */
  skuIn(text: string): ShopProduct | null {
    const normalized = normalizeText(text);
    const skus = this.#skuTable();
    let found: { product: ShopProduct; position: number } | null = null;
    for (const length of skus.lengths) {
      for (let start = 0; start + length <= normalized.length; start += 1) {
        const named = skus.byText.get(normalized.slice(start, start + length));
        if (named && (!found || named.position < found.position)) found = named;
      }
    }
    return found?.product ?? null;
  }

  #skuTable(): SkuTable {
    if (!this.#skus) {
      const byText = new Map<string, { product: ShopProduct; position: number }>();
      this.#products.forEach((product, position) => {
        const sku = product.sku.toLowerCase();
        if (!byText.has(sku)) byText.set(sku, { product, position });
      });
      this.#skus = { byText, lengths: [...new Set([...byText.keys()].map((sku) => sku.length))] };
    }
    return this.#skus;
  }
}
