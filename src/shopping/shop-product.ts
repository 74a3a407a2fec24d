import type { ProductFields } from "../catalog/product.ts";
import { bySkuOrder, type ProductsChange } from "./catalog-change.ts";

/** One catalog line as ingestion validated it (one product in one language). */
export type ProductEntry = ProductFields;

/** A product with its catalog lines in each language it has: what the shopping assistant ranks. */
export type ShopProduct = {
  sku: string;
  price: number;
  currency: string;
  launchDate: string;
  url: string | null;
  entries: { en: ProductEntry | null; zh: ProductEntry | null };
};

/** The catalog's products, as currently published. */
export interface ShoppingCatalog {
  products(): Promise<readonly ShopProduct[]>;
  /**
   * What changed from one list products() gave to a later one, when the catalog knows it without
   * comparing them; null (or no such method) when it does not.
   */
  changeBetween?(before: readonly ShopProduct[], after: readonly ShopProduct[]): ProductsChange | null;
}

/** Group catalog lines by SKU; the English line (else the first) gives price, date and link. */
export function groupEntries(entries: readonly ProductEntry[]): ShopProduct[] {
  const bySku = new Map<string, ShopProduct>();
  for (const entry of entries) addEntry(bySku, entry);
  return inCatalogOrder(bySku);
}

/** One line into its SKU's product (for grouping a large catalog a slice at a time). */
export function addEntry(bySku: Map<string, ShopProduct>, entry: ProductEntry): void {
  let product = bySku.get(entry.sku);
  if (!product) {
    product = { sku: entry.sku, price: entry.price, currency: entry.currency, launchDate: entry.launchDate, url: entry.url ?? null, entries: { en: null, zh: null } };
    bySku.set(entry.sku, product);
  }
  product.entries[entry.lang] = entry;
  if (entry.lang === "en") Object.assign(product, { price: entry.price, currency: entry.currency, launchDate: entry.launchDate, url: entry.url ?? product.url });
}

/** The grouped products in catalog order (by SKU). */
export function inCatalogOrder(bySku: Map<string, ShopProduct>): ShopProduct[] {
  return [...bySku.values()].sort(bySkuOrder);
}

/** The product's line in the language asked for, or its other one. */
export function entryIn(product: ShopProduct, language: "zh" | "en"): ProductEntry {
  return (product.entries[language] ?? product.entries[language === "zh" ? "en" : "zh"])!;
}

/** Every attribute of the product in both languages, the asked language first. */
export function attributesOf(product: ShopProduct, language: "zh" | "en" = "en"): { label: string; value: string; lang: "zh" | "en" }[] {
  const order: ("zh" | "en")[] = language === "zh" ? ["zh", "en"] : ["en", "zh"];
  return order.flatMap((lang) => Object.entries(product.entries[lang]?.attributes ?? {}).map(([label, value]) => ({ label, value, lang })));
}
