import { describe, expect, it } from "vitest";
import type { SourceDocument } from "../../src/knowledge/source-document.ts";
import { KnowledgeShoppingCatalog, type PublishedKnowledge } from "../../src/shopping/knowledge-catalog.ts";
import type { RecommendationStore } from "../../src/shopping/recommendation-store.ts";
import { ShoppingAssistant } from "../../src/shopping/shopping-assistant.ts";

/** Recommendation counts nobody reads here. */
class SilentRecommendations implements RecommendationStore {
  async recordShown(): Promise<string[]> {
    return [];
  }
  async recordClicked(): Promise<"unknown"> {
    return "unknown";
  }
  async listCounts() {
    return [];
  }
  async close(): Promise<void> {}
}

/** A knowledge base that counts what it is asked, with one product per version (its SKU names the version). */
function countingKnowledge() {
  const calls = { version: 0, list: 0 };
  let version = 1;
  let release: (() => void) | null = null;
  const knowledge: PublishedKnowledge = {
    version: async () => (calls.version += 1, version),
    documentChangesSince: async () => null,
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
      documentChangesSince: async () => null,
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

/** A knowledge base with a history: each publish is a version that changed some product documents. */
function knowledgeWithHistory() {
  const documents = new Map<string, { hash: string; name: string }>();
  const history: { version: number; id: string }[] = [];
  const calls = { listed: 0, read: [] as string[] };
  let version = 0;
  const knowledge: PublishedKnowledge = {
    version: async () => version,
    productHashes: async () => {
      calls.listed += 1;
      const ids = [...documents.keys()].filter((id) => id.startsWith("product:")).sort();
      return { ids, hashes: ids.map((id) => documents.get(id)!.hash) };
    },
    documentChangesSince: async (since) => {
      if (since > version) return null;
      const ids = [...new Set(history.filter((entry) => entry.version > since).map((entry) => entry.id))].sort();
      // Like the stores: a hash for product documents only.
      return { version, ids, hashes: ids.map((id) => (id.startsWith("product:") ? (documents.get(id)?.hash ?? null) : null)) };
    },
    getDocument: async (id) => {
      calls.read.push(id);
      const document = documents.get(id);
      if (!document) return null;
      const [, sku, lang] = id.split(":") as [string, string, "en" | "zh"];
      return { id, product: { sku, lang, name: document.name, category: "kitchen", price: 10, currency: "USD", launchDate: "2026-01-01", attributes: {}, description: "", url: null } } as unknown as SourceDocument;
    },
  };
  const publish = (changes: Record<string, string | null>) => {
    version += 1;
    for (const [id, name] of Object.entries(changes)) {
      if (name === null) documents.delete(id);
      else documents.set(id, { hash: `${name}@${version}`, name });
      history.push({ version, id });
    }
  };
  return { knowledge, calls, publish };
}

describe("the shopping catalog following the knowledge's history", () => {
  it("after the first read, reads only the documents each version changed, lists no hashes again, and knows the change from one product list to the next", async () => {
    const { knowledge, calls, publish } = knowledgeWithHistory();
    publish(Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`product:KF-${String(index).padStart(2, "0")}:en`, `Kettle ${index}`])));
    const catalog = new KnowledgeShoppingCatalog(knowledge, { recheckMs: 0 });
    const first = await catalog.products();
    expect(first).toHaveLength(20);
    expect(calls.listed).toBe(1);

    calls.read.length = 0;
    publish({ "product:KF-03:en": "Kettle 3 v2", "product:KF-07:en": null, "product:KF-20:en": "Kettle 20", "faq:returns:en": "Returns" });
    const second = await catalog.products();
    expect(calls.listed).toBe(1);
    expect(calls.read.sort()).toEqual(["product:KF-03:en", "product:KF-20:en"]);
    expect(second.map((product) => product.sku)).toEqual([...first.map((product) => product.sku).filter((sku) => sku !== "KF-07"), "KF-20"]);
    expect(second.find((product) => product.sku === "KF-03")!.entries.en!.name).toBe("Kettle 3 v2");
    expect(second[0]).toBe(first[0]);

    publish({ "product:KF-05:en": "Kettle 5 v3" });
    const third = await catalog.products();
    const skus = (change: { upserts: readonly { sku: string }[]; removed: readonly string[] } | null) => change && { upserts: change.upserts.map((product) => product.sku).sort(), removed: [...change.removed].sort() };
    expect(skus(catalog.changeBetween(first, second))).toEqual({ upserts: ["KF-03", "KF-20"], removed: ["KF-07"] });
    // Across two versions, each product as it is in the later list.
    expect(skus(catalog.changeBetween(first, third))).toEqual({ upserts: ["KF-03", "KF-05", "KF-20"], removed: ["KF-07"] });
    expect(catalog.changeBetween(first, third)!.upserts.find((product) => product.sku === "KF-05")).toBe(third.find((product) => product.sku === "KF-05"));
    expect(catalog.changeBetween(second, first)).toBeNull();
  });

  it("gives the shopping assistant's next generation the catalog's own change, not one found by comparing the lists", async () => {
    const { knowledge, publish } = knowledgeWithHistory();
    publish({ "product:KF-1:en": "Kettle 1", "product:KF-2:en": "Kettle 2" });
    const catalog = new KnowledgeShoppingCatalog(knowledge, { recheckMs: 0 });
    const known: unknown[] = [];
    const changeBetween = catalog.changeBetween.bind(catalog);
    catalog.changeBetween = (before, after) => {
      const change = changeBetween(before, after);
      known.push(change);
      return change;
    };
    const assistant = new ShoppingAssistant({ catalog, store: new SilentRecommendations(), settings: { newDays: 30, maxCards: 3 } });
    const first = await assistant.catalog();
    expect(first).toMatchObject({ generation: 1, change: null });
    publish({ "product:KF-2:en": "Kettle 2 v2" });
    const [second, again] = await Promise.all([assistant.catalog(), assistant.catalog()]);
    expect(again).toBe(second);
    expect(second.generation).toBe(2);
    expect(second.change).toEqual({ from: 1, upserts: [second.products[1]], removed: [] });
    expect(known).toEqual([{ upserts: [second.products[1]], removed: [] }]);
  });
});
