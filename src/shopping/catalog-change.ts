import { LoopSlices } from "../loop-slices.ts";
import type { ShopProduct } from "./shop-product.ts";

/** What changed between two lists of products: the products added or changed, the SKUs gone. */
export type ProductsChange = { upserts: readonly ShopProduct[]; removed: readonly string[] };

/** What changed between two generations of the catalog (`from` and the next). */
export type CatalogChange = ProductsChange & { from: number };

/**
 * A change larger than this share of the catalog is not worth sending as a change: the whole
 * catalog goes instead.
 */
const MAX_CHANGED_SHARE = 0.5;

/**
 * The change from the products of generation `from` to `products`, or null when most of them
 * changed. A product counts as unchanged when its catalog lines are the same objects (the catalog
 * keeps the lines of documents that did not change; a product is made from its lines alone).
 * Compares the two lists whole (14k products: in slices of the event loop); a catalog that knows
 * what changed gives it instead (ShoppingCatalog.changeBetween).
 */
export async function catalogChange(from: { generation: number; products: readonly ShopProduct[] }, products: readonly ShopProduct[], slices = new LoopSlices()): Promise<CatalogChange | null> {
  const before = new Map<string, ShopProduct>();
  for (const product of from.products) {
    before.set(product.sku, product);
    await slices.pause();
  }
  const upserts: ShopProduct[] = [];
  for (const product of products) {
    const previous = before.get(product.sku);
    before.delete(product.sku);
    if (!previous || previous.entries.en !== product.entries.en || previous.entries.zh !== product.entries.zh) upserts.push(product);
    if (upserts.length > products.length * MAX_CHANGED_SHARE) return null;
    await slices.pause();
  }
  return { from: from.generation, upserts, removed: [...before.keys()] };
}

/** A known change as the change from generation `from`, or null when most of the products changed. */
export function fromGeneration(from: number, change: ProductsChange, products: readonly ShopProduct[]): CatalogChange | null {
  return change.upserts.length > products.length * MAX_CHANGED_SHARE ? null : { from, ...change };
}

/** The products of the next generation: `products` (of generation change.from) with the change applied, in catalog order (by SKU). */
export function applyCatalogChange(products: readonly ShopProduct[], change: CatalogChange): ShopProduct[] {
  const bySku = new Map(products.map((product) => [product.sku, product]));
  for (const sku of change.removed) bySku.delete(sku);
  for (const product of change.upserts) bySku.set(product.sku, product);
  return [...bySku.values()].sort(bySkuOrder);
}

/** The catalog's order (groupEntries sorts by it). localeCompare, not an Intl.Collator: V8's fast path makes it several times faster on ASCII SKUs. */
export function bySkuOrder(a: ShopProduct, b: ShopProduct): number {
  return a.sku.localeCompare(b.sku);
}
