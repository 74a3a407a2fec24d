import type { ProductHashes } from "../knowledge/knowledge-store.ts";
import type { SourceDocument } from "../knowledge/source-document.ts";
import { LoopSlices } from "../loop-slices.ts";
import { addEntry, inCatalogOrder, type ProductEntry, type ShopProduct, type ShoppingCatalog } from "./shop-product.ts";

/** What the catalog needs of the knowledge base: its version, and its published product documents. */
export type PublishedKnowledge = {
  version(): Promise<number>;
  productHashes(): Promise<ProductHashes>;
  getDocument(id: string): Promise<SourceDocument | null>;
};

/** How long a read of the published version is trusted before it is read again (versions published by another server). */
const VERSION_RECHECK_MS = 1_000;
/** Product documents read from the knowledge store at once. */
const READ_AT_ONCE = 64;

/**
 * The products of the published knowledge, read from the catalog lines kept with their documents
 * and rebuilt only when a new knowledge version is published. Every bot turn asks for them, so the
 * version is read at most once a second (the knowledge store may be a thread or a database away),
 * and at once after a publish this server made (invalidate); one rebuild serves every caller.
 */
export class KnowledgeShoppingCatalog implements ShoppingCatalog {
  readonly #knowledge: PublishedKnowledge;
  readonly #recheckMs: number;
  #cached: { version: number; products: ShopProduct[] } | null = null;
  #checked: { at: number; version: Promise<number> } | null = null;
  #building: { version: number; products: Promise<ShopProduct[]> } | null = null;
  /** The catalog line of each product document read so far, by id, with the time it was last changed. */
  #lines = new Map<string, { hash: string; entry: ProductEntry | null }>();

  constructor(knowledge: PublishedKnowledge, options: { recheckMs?: number } = {}) {
    this.#knowledge = knowledge;
    this.#recheckMs = options.recheckMs ?? VERSION_RECHECK_MS;
  }

  async products(): Promise<readonly ShopProduct[]> {
    const version = await this.#version();
    if (this.#cached?.version === version) return this.#cached.products;
    if (this.#building?.version !== version) {
      const building = { version, products: this.#build() };
      this.#building = building;
      void building.products.then(
        (products) => {
          if (this.#building === building) this.#building = null;
          if ((this.#cached?.version ?? -1) <= version) this.#cached = { version, products };
        },
        () => {
          if (this.#building === building) this.#building = null;
        },
      );
    }
    return this.#building.products;
  }

  /** A version was just published: read it again on the next call. */
  invalidate(): void {
    this.#checked = null;
  }

  #version(): Promise<number> {
    const now = performance.now();
    if (this.#checked && now - this.#checked.at < this.#recheckMs) return this.#checked.version;
    const checked = { at: now, version: this.#knowledge.version() };
    this.#checked = checked;
    checked.version.catch(() => {
      if (this.#checked === checked) this.#checked = null;
    });
    return checked.version;
  }

  /**
   * Only documents changed since they were last read (a new content `hash`) are read again: a version
   * that changes 1% of a 28k-document catalog reads 280 documents, not all of them, and the lines of
   * the others stay the same objects (so work keyed by line, such as FAQ drafting, is not repeated).
   */
  async #build(): Promise<ShopProduct[]> {
    // Two arrays of strings from the store's thread (not 28k objects at 100k passages: cheap to receive).
    const { ids, hashes } = await this.#knowledge.productHashes();
    const known = this.#lines;
    const lines = new Map<string, { hash: string; entry: ProductEntry | null }>();
    const stale: { id: string; hash: string }[] = [];
    // In slices: 28k documents at 100k passages, after every publish, while acks go on.
    const slices = new LoopSlices();
    for (const [index, id] of ids.entries()) {
      const hash = hashes[index]!;
      const line = known.get(id);
      if (line && line.hash === hash) lines.set(id, line);
      else stale.push({ id, hash });
      await slices.pause();
    }
    // A few at a time: all at once, 28k documents' messages and copies at 100k passages held the event loop for seconds.
    for (let start = 0; start < stale.length; start += READ_AT_ONCE) {
      const batch = stale.slice(start, start + READ_AT_ONCE);
      const documents = await Promise.all(batch.map((document) => this.#knowledge.getDocument(document.id)));
      batch.forEach((document, position) => lines.set(document.id, { hash: document.hash, entry: documents[position]?.product ?? null }));
    }
    this.#lines = lines;
    const bySku = new Map<string, ShopProduct>();
    for (const id of ids) {
      const entry = lines.get(id)?.entry;
      if (entry) addEntry(bySku, entry);
      await slices.pause();
    }
    // Ids come in order, so the products nearly do: the sort has little left to do.
    return inCatalogOrder(bySku);
  }
}
