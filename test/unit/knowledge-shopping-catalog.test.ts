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
    productHashes: async () => {
      calls.list += 1;
      await new Promise<void>((resolve) => (release = resolve));
      return { ids: [`product:KF-${version}:en`], hashes: [`h${version}`] };
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

  it("reads again only the documents whose content changed since they were last read, and keeps the other lines as they were", async () => {
    const stamps = new Map([["product:KF-A:en", "t1"], ["product:KF-B:en", "t1"], ["product:KF-C:en", "t1"]]);
    const read: string[] = [];
    let version = 1;
    const knowledge: PublishedKnowledge = {
      version: async () => version,
      productHashes: async () => ({ ids: [...stamps.keys()], hashes: [...stamps.values()] }),
      getDocument: async (id) => {
        read.push(id);
        const sku = id.split(":")[1]!;
        return { id, product: { sku, lang: "en", name: `Kettle ${stamps.get(id)}`, category: "kitchen", price: 10, currency: "USD", launchDate: "2026-01-01", attributes: {}, description: "", url: null } } as unknown as SourceDocument;
      },
    };
    const catalog = new KnowledgeShoppingCatalog(knowledge, { recheckMs: 0 });
    const first = await catalog.products();
    expect(read.sort()).toEqual(["product:KF-A:en", "product:KF-B:en", "product:KF-C:en"]);

    read.length = 0;
    version = 2;
    stamps.set("product:KF-B:en", "t2");
    stamps.delete("product:KF-C:en");
    stamps.set("product:KF-D:en", "t2");
    const second = await catalog.products();
    expect(read.sort()).toEqual(["product:KF-B:en", "product:KF-D:en"]);
    expect(second.map((product) => [product.sku, product.entries.en!.name])).toEqual([["KF-A", "Kettle t1"], ["KF-B", "Kettle t2"], ["KF-D", "Kettle t2"]]);
    expect(second[0]!.entries.en).toBe(first[0]!.entries.en);
  });
});
