import { describe, expect, it } from "vitest";
import { packProducts, PART_CHARS, unpackProducts } from "../../src/conversations/packed-products.ts";
import { sendTurn, type TurnTask, type TurnTaskResult } from "../../src/conversations/turn-work.ts";
import type { ShoppingReply } from "../../src/shopping/compose-reply.ts";
import type { ShopProduct } from "../../src/shopping/shop-product.ts";

function product(index: number): ShopProduct {
  const entry = (lang: "en" | "zh") => ({
    sku: `SKU-${index}`, lang, name: lang === "en" ? `Kettle ${index}` : `水壶${index}`, category: "kitchen", price: 100 + index, currency: "CNY",
    launchDate: "2026-01-02", attributes: { Capacity: `${index % 3} L`, 颜色: "白" }, description: "x".repeat(900), url: index % 2 ? `/p/${index}` : null,
  });
  return { sku: `SKU-${index}`, price: 100 + index, currency: "CNY", launchDate: "2026-01-02", url: null, entries: { en: entry("en"), zh: index % 5 ? entry("zh") : null } };
}

describe("a catalog's products on their way to a search worker", () => {
  it("travel as JSON in shared-memory parts of about PART_CHARS, and read back as the same products", async () => {
    const products = Array.from({ length: 2_000 }, (_, index) => product(index));
    const packed = await packProducts(products);
    expect(packed.count).toBe(2_000);
    expect(packed.parts.length).toBeGreaterThan(5);
    for (const part of packed.parts) expect(part.byteLength).toBeLessThan(3 * (PART_CHARS + 10_000));
    expect(unpackProducts(packed)).toEqual(products);
  });

  it("is what sendTurn hands a worker that asks for the catalog: shared memory, not the products' objects (which postMessage would copy whole)", async () => {
    const products = Array.from({ length: 600 }, (_, index) => product(index));
    const carried: TurnTask[] = [];
    const run = async (task: TurnTask): Promise<TurnTaskResult> => {
      carried.push(task);
      return task.shopping?.products ? { kind: "shopping", reply: { text: "cards" } as unknown as ShoppingReply } : { kind: "need-catalog", has: null };
    };
    const request = {
      shopping: { question: { request: { question: "kettles?", language: "en", pageSku: null, previousSkus: [] }, today: "2026-12-06", settings: {} as never }, catalog: { generation: 1, products, change: null } },
      assess: { retrieval: { query: "kettles?", topK: 5 }, question: "kettles?", product: null, threshold: 0.5 },
    } as const;
    await sendTurn(request as never, run, new Map());
    const delivered = carried.at(-1)!.shopping!.products!;
    expect(delivered.parts.every((part) => part instanceof SharedArrayBuffer)).toBe(true);
    expect(unpackProducts(delivered)).toEqual(products);
  });
});
