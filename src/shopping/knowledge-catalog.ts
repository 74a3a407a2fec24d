import type { SourceDocument } from "../knowledge/source-document.ts";
import { groupEntries, type ShopProduct, type ShoppingCatalog } from "./shop-product.ts";

/** What the catalog needs of the knowledge base: its version, and its published product documents. */
export type PublishedKnowledge = {
  version(): Promise<number>;
  listDocuments(options: { limit: number }): Promise<{ id: string; kind: string }[]>;
  getDocument(id: string): Promise<SourceDocument | null>;
};

const MAX_PRODUCT_DOCUMENTS = 100_000;
/** Product documents read from the knowledge store at once. */
const READ_AT_ONCE = 64;

/**
 * The products of the published knowledge, read from the catalog lines kept with their documents
 * and rebuilt only when a new knowledge version is published.
 */
export class KnowledgeShoppingCatalog implements ShoppingCatalog {
  readonly #knowledge: PublishedKnowledge;
  #cached: { version: number; products: ShopProduct[] } | null = null;
  /** The read in progress: every caller waiting for the same version shares it (at 100k passages one read is ~28k documents). */
  #loading: { version: number; products: Promise<ShopProduct[]> } | null = null;

  constructor(knowledge: PublishedKnowledge) {
    this.#knowledge = knowledge;
  }

  async products(): Promise<readonly ShopProduct[]> {
    const version = await this.#knowledge.version();
    if (this.#cached?.version === version) return this.#cached.products;
    if (this.#loading?.version !== version) {
      const products = this.#load(version);
      this.#loading = { version, products };
      void products.catch(() => undefined).finally(() => {
        if (this.#loading?.products === products) this.#loading = null;
      });
    }
    return this.#loading.products;
  }

  async #load(version: number): Promise<ShopProduct[]> {
    const listed = (await this.#knowledge.listDocuments({ limit: MAX_PRODUCT_DOCUMENTS })).filter((document) => document.kind === "product");
    // A few at a time: all at once, 28k documents' messages and copies at 100k passages held the event loop for seconds.
    const entries: NonNullable<SourceDocument["product"]>[] = [];
    for (let start = 0; start < listed.length; start += READ_AT_ONCE) {
      const documents = await Promise.all(listed.slice(start, start + READ_AT_ONCE).map((document) => this.#knowledge.getDocument(document.id)));
      for (const document of documents) if (document?.product) entries.push(document.product);
    }
    const products = groupEntries(entries);
    this.#cached = { version, products };
    return products;
  }
}
