import { AppError } from "../errors.ts";
import type { Suggestion } from "../protocol/shopping.ts";
import { catalogChange, fromGeneration, type CatalogChange } from "./catalog-change.ts";
import { composeReply, type ShoppingReply } from "./compose-reply.ts";
import { NameIndex } from "./name-index.ts";
import { recommend } from "./recommend.ts";
import { NO_RECORDER, type RecommendationCount, type RecommendationRecorder, type RecommendationReport, type RecommendationStore } from "./recommendation-store.ts";
import { entryIn, type ShopProduct, type ShoppingCatalog } from "./shop-product.ts";
import { suggestQuestions } from "./suggest-questions.ts";

export type ShoppingSettings = {
  /** Days after launch a product counts as new ("New" badge, "what's new"). */
  newDays: number;
  /** Most product cards in one answer. */
  maxCards: number;
};

export type ShoppingRequest = {
  question: string;
  language: "zh" | "en";
  /** The product page the shopper is on. */
  pageSku: string | null;
  /** Products of the bot's previous recommendation in this conversation, for "these two". */
  previousSkus: readonly string[];
};

/** A shopping question as it travels to whichever thread answers it: the request, the day and the settings. */
export type ShoppingQuestion = { request: ShoppingRequest; today: string; settings: ShoppingSettings };

/**
 * The published products, and the generation they belong to (it changes whenever they do); with
 * the change from the generation before, when it is small (a thread holding that one needs only it).
 */
export type CatalogSnapshot = { generation: number; products: readonly ShopProduct[]; change: CatalogChange | null };

/** The products with their name index, built once per generation in each thread that answers. */
export type IndexedCatalog = { products: readonly ShopProduct[]; index: NameIndex };

/** With `previous` (the catalog this one replaces), names that did not change are not analysed again. */
export function indexCatalog(products: readonly ShopProduct[], previous: IndexedCatalog | null = null): IndexedCatalog {
  return { products, index: new NameIndex(products, previous?.index ?? null) };
}

/** A shopping answer to the question from these products, or null when it is not a shopping question (any thread). */
export function answerShopping(catalog: IndexedCatalog, { request, today, settings }: ShoppingQuestion): ShoppingReply | null {
  if (catalog.products.length === 0) return null;
  const result = recommend(request.question, {
    products: catalog.products,
    index: catalog.index,
    language: request.language,
    pageSku: request.pageSku,
    previousSkus: request.previousSkus,
    today,
    newDays: settings.newDays,
    maxCards: settings.maxCards,
  });
  return result ? composeReply(result, { language: request.language, today, newDays: settings.newDays }) : null;
}

/**
 * The shopping assistant: discovery with filters, comparison, related products and alternatives
 * answered from the catalog alone, question chips, and counts of what it recommended and what
 * shoppers opened. Free of any transport; the conversation service calls it before retrieval.
 */
export class ShoppingAssistant {
  readonly #catalog: ShoppingCatalog;
  readonly #store: RecommendationStore;
  readonly #recorder: RecommendationRecorder;
  readonly #settings: ShoppingSettings;
  readonly #clock: () => Date;
  #indexed: { products: readonly ShopProduct[]; index: Promise<NameIndex> } | null = null;
  #snapshot: CatalogSnapshot | null = null;
  /** The next snapshot being made (one at a time, for every caller). */
  #advancing: Promise<void> | null = null;

  constructor(deps: { catalog: ShoppingCatalog; store: RecommendationStore; recorder?: RecommendationRecorder; settings: ShoppingSettings; clock?: () => Date }) {
    this.#catalog = deps.catalog;
    this.#store = deps.store;
    this.#recorder = deps.recorder ?? NO_RECORDER;
    this.#settings = deps.settings;
    this.#clock = deps.clock ?? (() => new Date());
  }

  /** A shopping answer to the question, or null when it is not a shopping question. */
  async reply(request: ShoppingRequest): Promise<ShoppingReply | null> {
    return answerShopping(await this.#catalogIndex(), this.question(request));
  }

  /** The question with what answering it needs besides the products (for answerShopping in another thread). */
  question(request: ShoppingRequest): ShoppingQuestion {
    return { request, today: this.#today(), settings: this.#settings };
  }

  /** The published products and their generation, for a thread that keeps its own copy (indexed once per generation). */
  async catalog(): Promise<CatalogSnapshot> {
    for (;;) {
      // Asked again after each advance: a caller that read the products before a newer publish ends on the newest.
      const products = await this.#catalog.products();
      if (this.#snapshot?.products === products) return this.#snapshot;
      this.#advancing ??= this.#advance(products).finally(() => (this.#advancing = null));
      await this.#advancing;
    }
  }

  /**
   * The next generation, with the change from the one before: the catalog's own account of it when
   * it has one (a 1% update: the products it touched, no pass over the catalog), else a comparison of
   * the two lists in slices of the event loop.
   */
  async #advance(products: readonly ShopProduct[]): Promise<void> {
    const previous = this.#snapshot;
    let change: CatalogChange | null = null;
    if (previous) {
      const known = this.#catalog.changeBetween?.(previous.products, products) ?? null;
      change = known ? fromGeneration(previous.generation, known, products) : await catalogChange(previous, products);
    }
    this.#snapshot = { generation: (previous?.generation ?? 0) + 1, products, change };
  }

  /** Question chips for the page the shopper is on. */
  async suggestions(productId: string | null, language: "zh" | "en"): Promise<Suggestion[]> {
    const { products } = await this.catalog();
    const product = productId ? (products.find((candidate) => candidate.sku === productId) ?? null) : null;
    return suggestQuestions(product, products, language);
  }

  /** Count the products an answer showed (once per answer). */
  async shown(answerId: string, skus: readonly string[]): Promise<void> {
    for (const sku of await this.#store.recordShown(answerId, skus, this.#clock())) this.#recorder.shown(sku);
  }

  /** Count a shopper opening a product from an answer's card; only cards that answer showed count. */
  async clicked(answerId: string, sku: string): Promise<{ counted: boolean }> {
    const outcome = await this.#store.recordClicked(answerId, sku, this.#clock());
    if (outcome === "unknown") throw new AppError("NOT_FOUND", "That answer did not recommend this product.");
    if (outcome === "counted") this.#recorder.clicked(sku);
    return { counted: outcome === "counted" };
  }

  counts(): Promise<RecommendationCount[]> {
    return this.#store.listCounts();
  }

  /** The counts with each product's name, for the operators' view. */
  async report(language: "zh" | "en"): Promise<RecommendationReport[]> {
    const { products } = await this.catalog();
    const bySku = new Map(products.map((product) => [product.sku, product]));
    return (await this.#store.listCounts()).map((count) => {
      const product = bySku.get(count.sku);
      return { ...count, name: product ? entryIn(product, language).name : null };
    });
  }

  #today(): string {
    return this.#clock().toISOString().slice(0, 10);
  }

  /** Only for answers in this thread (reply): turns in search workers keep their own index there. */
  async #catalogIndex(): Promise<IndexedCatalog> {
    const { products } = await this.catalog();
    // Built once per published catalog, in slices, for every caller at once; unchanged names are not analysed again.
    if (this.#indexed?.products !== products) {
      const previous = await this.#indexed?.index.catch(() => null);
      if (this.#indexed?.products !== products) this.#indexed = { products, index: NameIndex.build(products, previous ?? null) };
    }
    const indexed = this.#indexed;
    return { products, index: await indexed.index };
  }
}
