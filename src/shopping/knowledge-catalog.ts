import type { DocumentChanges, ProductHashes } from "../knowledge/knowledge-store.ts";
import type { SourceDocument } from "../knowledge/source-document.ts";
import { LoopSlices } from "../loop-slices.ts";
import type { ProductsChange } from "./catalog-change.ts";
import { CatalogLines, type CatalogLine, type ProductUpdates } from "./catalog-lines.ts";
import type { ShopProduct, ShoppingCatalog } from "./shop-product.ts";

/** What the catalog needs of the knowledge base: its version, and its published product documents. */
export type PublishedKnowledge = {
  version(): Promise<number>;
  productHashes(): Promise<ProductHashes>;
  documentChangesSince(version: number): Promise<DocumentChanges | null>;
  getDocument(id: string): Promise<SourceDocument | null>;
};

/** How long a read of the published version is trusted before it is read again (versions published by another server). */
const VERSION_RECHECK_MS = 1_000;
/** Product documents read from the knowledge store at once. */
const READ_AT_ONCE = 32;
/** Changes from one product list to the next kept, for changeBetween (each holds its two lists). */
const STEPS_KEPT = 4;

/**
 * The products of the published knowledge, read from the catalog lines kept with their documents
 * and brought up to date only when a new knowledge version is published. Every bot turn asks for
 * them, so the version is read at most once a second (the knowledge store may be a thread or a
 * database away), and at once after a publish this server made (invalidate); one update serves
 * every caller.
 */
export class KnowledgeShoppingCatalog implements ShoppingCatalog {
  readonly #knowledge: PublishedKnowledge;
  readonly #recheckMs: number;
  #cached: { version: number; products: readonly ShopProduct[] } | null = null;
  #checked: { at: number; version: Promise<number> } | null = null;
  #building: { version: number; products: Promise<readonly ShopProduct[]> } | null = null;
  /** Updates run one after another, each from where the one before left the lines. */
  #updates: Promise<unknown> = Promise.resolve();
  /** The lines read so far, and the knowledge version they are at least as new as (null: none read yet). */
  readonly #lines = new CatalogLines();
  #linesVersion: number | null = null;
  /** The last few changes from one product list to the next, oldest first. */
  readonly #steps: { before: readonly ShopProduct[]; after: readonly ShopProduct[]; updates: ProductUpdates }[] = [];

  constructor(knowledge: PublishedKnowledge, options: { recheckMs?: number } = {}) {
    this.#knowledge = knowledge;
    this.#recheckMs = options.recheckMs ?? VERSION_RECHECK_MS;
  }

  async products(): Promise<readonly ShopProduct[]> {
    const version = await this.#version();
    if (this.#cached?.version === version) return this.#cached.products;
    if (this.#building?.version !== version) {
      const update = this.#updates.then(() => this.#update(version));
      this.#updates = update.catch(() => undefined);
      const building = { version, products: update };
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

  /**
   * What changed from one product list this catalog gave to a later one, known from the updates
   * that made them (no comparison of the lists); null when `before` is too old to tell.
   */
  changeBetween(before: readonly ShopProduct[], after: readonly ShopProduct[]): ProductsChange | null {
    if (before === after) return { upserts: [], removed: [] };
    const first = this.#steps.findIndex((step) => step.before === before);
    if (first < 0) return null;
    const updates: ProductUpdates = new Map();
    for (const step of this.#steps.slice(first)) {
      for (const [sku, product] of step.updates) updates.set(sku, product);
      if (step.after === after) {
        const upserts = [...updates.values()].filter((product): product is ShopProduct => product !== null);
        return { upserts, removed: [...updates].flatMap(([sku, product]) => (product ? [] : [sku])) };
      }
    }
    return null;
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
   * Only documents changed since the lines were read are looked at (from the store's history), and
   * only those whose content hash differs from the line's are read again: a version that changes 1%
   * of a 28k-document catalog reads 280 documents, and the lines and products of the others stay the
   * same objects (so work keyed by line, such as FAQ drafting, is not repeated). Without a history
   * to go by (the first time), every product document's hash is listed instead.
   */
  async #update(version: number): Promise<readonly ShopProduct[]> {
    const slices = new LoopSlices();
    const since = this.#linesVersion === null ? null : await this.#knowledge.documentChangesSince(this.#linesVersion);
    const listed = since ?? (await this.#everyProduct(slices));
    const stale: { id: string; hash: string }[] = [];
    const changed = new Map<string, CatalogLine | null>();
    for (const [index, id] of listed.ids.entries()) {
      const hash = listed.hashes[index] ?? null;
      const line = this.#lines.line(id);
      if (hash === null) {
        if (line) changed.set(id, null);
      } else if (line?.hash !== hash) stale.push({ id, hash });
      await slices.pause();
    }
    // A few at a time, yielding between them: a document is read in about 50 µs (on this thread, where
    // the store allows), and 28k of them after a 100k-passage publish held the event loop for 1.5 s.
    for (let start = 0; start < stale.length; start += READ_AT_ONCE) {
      const batch = stale.slice(start, start + READ_AT_ONCE);
      const documents = await Promise.all(batch.map((document) => this.#knowledge.getDocument(document.id)));
      batch.forEach((document, position) => changed.set(document.id, { hash: document.hash, entry: documents[position]?.product ?? null }));
      await slices.pause();
    }
    // Applied only once every changed document was read: an update that fails leaves the lines as they were.
    const before = this.#lines.products;
    const updates = await this.#lines.apply(changed, slices);
    this.#linesVersion = since?.version ?? version;
    const after = this.#lines.products;
    if (after !== before) {
      this.#steps.push({ before, after, updates });
      if (this.#steps.length > STEPS_KEPT) this.#steps.shift();
    }
    return after;
  }

  /** Every product document, as changes: with the ones no longer listed gone. */
  async #everyProduct(slices: LoopSlices): Promise<{ ids: string[]; hashes: (string | null)[] }> {
    // Two arrays of strings from the store's thread (not 28k objects at 100k passages: cheap to receive).
    const { ids, hashes } = await this.#knowledge.productHashes();
    const listed = new Set(ids);
    const gone: string[] = [];
    for (const id of this.#lines.ids()) {
      if (!listed.has(id)) gone.push(id);
      await slices.pause();
    }
    return { ids: [...ids, ...gone], hashes: [...hashes, ...gone.map(() => null)] };
  }
}
