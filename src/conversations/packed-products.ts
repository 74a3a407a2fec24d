import { LoopSlices } from "../loop-slices.ts";
import type { ShopProduct } from "../shopping/shop-product.ts";

/** Characters of JSON per part. */
export const PART_CHARS = 256 * 1024;

/**
 * A catalog's products as they cross to a search worker: JSON text in parts. Handed over as
 * objects, the 14k products of a 100k-passage catalog were cloned by postMessage in one go, a
 * block of 300 ms and more on the event loop; as text they are written here in slices of the loop
 * and copied as strings, and the worker parses them.
 */
export type PackedProducts = { parts: string[]; count: number };

/** One packing per catalog snapshot, however many workers ask for it. */
const packings = new WeakMap<readonly ShopProduct[], Promise<PackedProducts>>();

export function packProducts(products: readonly ShopProduct[]): Promise<PackedProducts> {
  let packing = packings.get(products);
  if (!packing) {
    packing = pack(products);
    packings.set(products, packing);
  }
  return packing;
}

async function pack(products: readonly ShopProduct[]): Promise<PackedProducts> {
  const slices = new LoopSlices();
  const parts: string[] = [];
  let part: string[] = [];
  let chars = 0;
  for (const product of products) {
    const text = JSON.stringify(product);
    part.push(text);
    chars += text.length;
    if (chars >= PART_CHARS) {
      parts.push(`[${part.join(",")}]`);
      part = [];
      chars = 0;
    }
    await slices.pause();
  }
  if (part.length > 0) parts.push(`[${part.join(",")}]`);
  return { parts, count: products.length };
}

/** The products back from their parts (in the worker). */
export function unpackProducts(packed: PackedProducts): ShopProduct[] {
  const products: ShopProduct[] = [];
  for (const part of packed.parts) for (const product of JSON.parse(part) as ShopProduct[]) products.push(product);
  return products;
}
