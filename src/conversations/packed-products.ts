import { LoopSlices } from "../loop-slices.ts";
import type { ShopProduct } from "../shopping/shop-product.ts";

/** Characters of JSON per part. */
export const PART_CHARS = 256 * 1024;

/**
 * A catalog's products as they cross to a search worker: UTF-8 JSON in parts, each in a
 * SharedArrayBuffer. Handed over as objects, the 14k products of a 100k-passage catalog were
 * cloned by postMessage in one go (a block of 300 ms and more on the event loop), and as strings
 * they were still copied whole inside that one call (about 450 ms); shared memory crosses as a
 * handle. The JSON is written here in slices of the loop and parsed in the worker.
 */
export type PackedProducts = { parts: SharedArrayBuffer[]; count: number };

export async function packProducts(products: readonly ShopProduct[]): Promise<PackedProducts> {
  const slices = new LoopSlices();
  const encoder = new TextEncoder();
  const parts: SharedArrayBuffer[] = [];
  let part: string[] = [];
  let chars = 0;
  const close = () => {
    const bytes = encoder.encode(`[${part.join(",")}]`);
    const shared = new SharedArrayBuffer(bytes.byteLength);
    new Uint8Array(shared).set(bytes);
    parts.push(shared);
    part = [];
    chars = 0;
  };
  for (const product of products) {
    const text = JSON.stringify(product);
    part.push(text);
    chars += text.length;
    if (chars >= PART_CHARS) close();
    await slices.pause();
  }
  if (part.length > 0) close();
  return { parts, count: products.length };
}

/** The products back from their parts (in the worker). */
export function unpackProducts(packed: PackedProducts): ShopProduct[] {
  const decoder = new TextDecoder();
  const products: ShopProduct[] = [];
  // Decoded from a private copy: the bytes are shared with the thread that wrote them.
  for (const part of packed.parts) for (const product of JSON.parse(decoder.decode(new Uint8Array(part).slice())) as ShopProduct[]) products.push(product);
  return products;
}
