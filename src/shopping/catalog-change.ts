import type { ShopProduct } from "./shop-product.ts";

/** What changed between two generations of the catalog: the products added or changed, the SKUs gone. */
export type CatalogChange = { from: number; upserts: readonly ShopProduct[]; removed: readonly string[] };

/**
 * A change larger than this share of the catalog is not worth sending as a change: the whole
 * catalog goes instead.
 */
const MAX_CHANGED_SHARE = 0.5;

/**
 * The change from the products of generation `from` to `products`, or null when most of them
 * changed. A product counts as unchanged when its catalog lines are the same objects (the catalog
 * keeps the lines of documents that did not change; a product is made from its lines alone).
 */
export function catalogChange(from: { generation: number; products: readonly ShopProduct[] }, products: readonly ShopProduct[]): CatalogChange | null {
  const before = new Map(from.products.map((product) => [product.sku, product]));
  const upserts: ShopProduct[] = [];
  for (const product of products) {
    const previous = before.get(product.sku);
    before.delete(product.sku);
    if (!previous || previous.entries.en !== product.entries.en || previous.entries.zh !== product.entries.zh) upserts.push(product);
    if (upserts.length > products.length * MAX_CHANGED_SHARE) return null;
  }
  return { from: from.generation, upserts, removed: [...before.keys()] };
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
