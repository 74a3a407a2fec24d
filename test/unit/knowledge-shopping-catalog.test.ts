import { expect, it } from "vitest";
import type { SourceDocument } from "../../src/knowledge/source-document.ts";
import { KnowledgeShoppingCatalog, type PublishedKnowledge } from "../../src/shopping/knowledge-catalog.ts";

/** Published knowledge in memory, counting how often the whole product list is read. */
function knowledge(count: number): PublishedKnowledge & { lists: number; current: number } {
  const documents = new Map<string, SourceDocument>();
  for (let index = 0; index < count; index += 1) {
    const sku = `SKU-${index}`;
    documents.set(`product:${sku}:en`, {
      id: `product:${sku}:en`, productId: sku, lang: "en", kind: "product", title: `Kettle ${index}`, url: null, source: "api:test", sections: [{ title: `Kettle ${index}`, text: "A kettle." }],
      product: { sku, lang: "en", name: `Kettle ${index}`, category: "Kitchen", price: 20 + index, currency: "USD", launchDate: "2025-01-01", attributes: {}, description: "A kettle.", url: null },
    } as SourceDocument);
  }
  const published = {
    lists: 0,
    current: 1,
    async version() {
      return published.current;
    },
    async listDocuments() {
      published.lists += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return [...documents.values()].map((document) => ({ id: document.id, kind: document.kind }));
    },
    async getDocument(id: string) {
      return documents.get(id) ?? null;
    },
  };
  return published as unknown as PublishedKnowledge & { lists: number; current: number };
}

it("reads the published products once for callers that ask at the same time, and again for a new version", async () => {
  const published = knowledge(30);
  const catalog = new KnowledgeShoppingCatalog(published);
  const results = await Promise.all(Array.from({ length: 50 }, () => catalog.products()));
  expect(published.lists).toBe(1);
  expect(results.every((products) => products === results[0])).toBe(true);
  expect(results[0]!.length).toBe(30);
  published.current = 2;
  await Promise.all([catalog.products(), catalog.products()]);
  expect(published.lists).toBe(2);
});
