import { describe, expect, it } from "vitest";
import type { SourceDocument } from "../../src/knowledge/source-document.ts";
import { KnowledgeShoppingCatalog, type PublishedKnowledge } from "../../src/shopping/knowledge-catalog.ts";

/** A knowledge base that counts what it is asked, with one product per version (its SKU names the version). */
function countingKnowledge() {
  const calls = { version: 0, list: 0 };
  let version = 1;
  let release: (() => void) | null = null;
  const knowledge: PublishedKnowledge = {
    version: async () => (calls.version += 1, version),
    listDocuments: async () => {
      calls.list += 1;
      await new Promise<void>((resolve) => (release = resolve));
      return [{ id: `product:KF-${version}:en`, kind: "product" }];
    },
    getDocument: async (id) =>
      ({
        id,
        product: { sku: id.split(":")[1]!, lang: "en", name: "Kettle", category: "kitchen", price: 10, currency: "USD", launchDate: null, attributes: {}, description: "", url: null },
      }) as unknown as SourceDocument,
  };
  return { knowledge, calls, publish: () => (version += 1), release: () => release?.() };
}

describe("the shopping catalog read from the published knowledge", () => {
  it("builds the products once for many callers at once, and reads the version at most once per recheck interval", async () => {
    const { knowledge, calls, release } = countingKnowledge();
    const catalog = new KnowledgeShoppingCatalog(knowledge, { recheckMs: 60_000 });
    const waiting = Array.from({ length: 20 }, () => catalog.products());
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const all = await Promise.all(waiting);
    expect(new Set(all).size).toBe(1);
    expect(all[0]!.map((product) => product.sku)).toEqual(["KF-1"]);
    expect(calls).toEqual({ version: 1, list: 1 });
    await catalog.products();
    expect(calls).toEqual({ version: 1, list: 1 });
  });

  it("sees a version published here at once (invalidate), and one published elsewhere after the recheck interval", async () => {
    const { knowledge, calls, publish, release } = countingKnowledge();
    const catalog = new KnowledgeShoppingCatalog(knowledge, { recheckMs: 50 });
    const first = catalog.products();
    await new Promise((resolve) => setImmediate(resolve));
    release();
    expect((await first).map((product) => product.sku)).toEqual(["KF-1"]);

    publish();
    catalog.invalidate();
    const second = catalog.products();
    await new Promise((resolve) => setImmediate(resolve));
    release();
    expect((await second).map((product) => product.sku)).toEqual(["KF-2"]);

    publish(); // by another server: this one hears nothing
    expect((await catalog.products()).map((product) => product.sku)).toEqual(["KF-2"]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    const third = catalog.products();
    await new Promise((resolve) => setImmediate(resolve));
    release();
    expect((await third).map((product) => product.sku)).toEqual(["KF-3"]);
    expect(calls.list).toBe(3);
  });
});
