import type { SourceDocument } from "../knowledge/source-document.ts";
import { groupEntries, type ShopProduct, type ShoppingCatalog } from "./shop-product.ts";

/** What the catalog needs of the knowledge base: its version, and its published product documents. */
export type PublishedKnowledge = {
  version(): Promise<number>;
  listDocuments(options: { limit: number }): Promise<{ id: string; kind: string }[]>;
  getDocument(id: string): Promise<SourceDocument | null>;
};

const MAX_PRODUCT_DOCUMENTS = 100_000;

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
    const entries = (await Promise.all(listed.map((document) => this.#knowledge.getDocument(document.id)))).flatMap((document) => document?.product ?? []);
    const products = groupEntries(entries);
    this.#cached = { version, products };
    return products;
  }
}
