import { LoopSlices } from "../loop-slices.ts";
import { bySkuOrder } from "./catalog-change.ts";
import { addEntry, type ProductEntry, type ShopProduct } from "./shop-product.ts";

/** A product document as last read: its content hash, and its catalog line (null: a product document without one). */
export type CatalogLine = { hash: string; entry: ProductEntry | null };

/** The products a change made, by SKU: the product now, or null when it is gone. */
export type ProductUpdates = Map<string, ShopProduct | null>;

/**
 * The catalog's lines by document id and the products grouped from them (as groupEntries would, in
 * document id order), kept up to date from the documents that changed alone: a 1% update of a 28k-line
 * catalog regroups the few hundred products it touched, and every other product stays the same object.
 */
export class CatalogLines {
  readonly #lines = new Map<string, CatalogLine>();
  /** The ids of the documents whose lines make each product. */
  readonly #idsBySku = new Map<string, Set<string>>();
  #products: ShopProduct[] = [];

  get products(): ShopProduct[] {
    return this.#products;
  }

  get size(): number {
    return this.#lines.size;
  }

  line(id: string): CatalogLine | undefined {
    return this.#lines.get(id);
  }

  ids(): IterableIterator<string> {
    return this.#lines.keys();
  }

  /**
   * Set these documents' lines (null: the document is gone) and regroup the products they touch, in
   * slices of the event loop; resolves with the products changed. `products` is a new array only when
   * some product changed.
   */
  async apply(changed: ReadonlyMap<string, CatalogLine | null>, slices = new LoopSlices()): Promise<ProductUpdates> {
    const touched = new Set<string>();
    for (const [id, line] of changed) {
      const before = this.#lines.get(id)?.entry;
      if (before) {
        touched.add(before.sku);
        const ids = this.#idsBySku.get(before.sku);
        ids?.delete(id);
        if (ids?.size === 0) this.#idsBySku.delete(before.sku);
      }
      if (line) this.#lines.set(id, line);
      else this.#lines.delete(id);
      if (line?.entry) {
        touched.add(line.entry.sku);
        let ids = this.#idsBySku.get(line.entry.sku);
        if (!ids) this.#idsBySku.set(line.entry.sku, (ids = new Set()));
        ids.add(id);
      }
      await slices.pause();
    }
    const updates: ProductUpdates = new Map();
    for (const sku of touched) {
      updates.set(sku, this.#group(sku));
      await slices.pause();
    }
    if (updates.size > 0) this.#products = await merged(this.#products, updates, slices);
    return updates;
  }

  /** A product from its lines, taken in document id order (as the whole catalog is grouped). */
  #group(sku: string): ShopProduct | null {
    const ids = this.#idsBySku.get(sku);
    if (!ids) return null;
    const bySku = new Map<string, ShopProduct>();
    for (const id of [...ids].sort(byCodeUnits)) addEntry(bySku, this.#lines.get(id)!.entry!);
    return bySku.get(sku) ?? null;
  }
}

/**
 * The products with these updates, in catalog order: the others kept as they are and where they
 * are. Each new product's place is found by binary search, so a 1% update compares a few thousand
 * SKUs, not every product with its neighbour; the one pass that copies the list yields now and then.
 */
async function merged(products: readonly ShopProduct[], updates: ProductUpdates, slices: LoopSlices): Promise<ShopProduct[]> {
  const fresh: ShopProduct[] = [];
  for (const product of updates.values()) if (product) fresh.push(product);
  // Updates come in document id order, so nearly in catalog order: the sort has little to do.
  fresh.sort(bySkuOrder);
  // Where each goes: before the first product that does not sort before it (ascending, as fresh is sorted).
  const places: number[] = [];
  for (const product of fresh) {
    let low = places.at(-1) ?? 0;
    let high = products.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (bySkuOrder(products[middle]!, product) < 0) low = middle + 1;
      else high = middle;
    }
    places.push(low);
    await slices.pause();
  }
  const next: ShopProduct[] = [];
  let at = 0;
  for (let index = 0; index < products.length; index += 1) {
    for (; at < fresh.length && places[at] === index; at += 1) next.push(fresh[at]!);
    const product = products[index]!;
    if (!updates.has(product.sku)) next.push(product);
    if (index % COPIED_BETWEEN_PAUSES === 0) await slices.pause();
  }
  for (; at < fresh.length; at += 1) next.push(fresh[at]!);
  return next;
}

/** Products copied between two checks of the slice's time (a check costs more than a copy). */
const COPIED_BETWEEN_PAUSES = 512;

/** Document ids in the order the stores list them (SQLite's and Postgres' "C" order, for ASCII ids). */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
