import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.ts";
import type { IngestReport, KnowledgeStore } from "../../src/knowledge/knowledge-store.ts";
import type { SourceDocument } from "../../src/knowledge/source-document.ts";
import { SqliteKnowledgeStore } from "../../src/knowledge/sqlite-knowledge-store.ts";
import { WorkerKnowledgeStore } from "../../src/knowledge/worker-knowledge-store.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { HashingEmbedder } from "../../src/retrieval/hashing-embedder.ts";

type Opened = { store: KnowledgeStore; published: IngestReport[] };

/** Every KnowledgeStore implementation, opened on a fresh folder. */
const implementations: [string, (dataDir: string) => Promise<Opened>][] = [
  ["SqliteKnowledgeStore (this thread)", async (dataDir) => ({
    store: await SqliteKnowledgeStore.open({ dataDir, embedder: new HashingEmbedder(), synchronous: "normal", logger: createSilentLogger() }),
    published: [],
  })],
  ["WorkerKnowledgeStore (writer thread)", async (dataDir) => {
    const published: IngestReport[] = [];
    const store = await WorkerKnowledgeStore.open({
      workerData: { dataDir, embedding: { kind: "hashing", baseUrl: undefined, apiKey: undefined, model: "unused" }, synchronous: "normal", logLevel: "silent" },
      logger: createSilentLogger(),
      onPublished: (report) => published.push(report),
    });
    return { store, published };
  }],
];

const faq = (id: string, answer: string): SourceDocument => ({
  id: `faq:${id}:en`, productId: null, lang: "en", kind: "faq", title: `About ${id}`, url: null, sections: [{ title: `About ${id}`, text: answer }], source: "api:test",
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each(implementations)("knowledge store contract: %s", (_name, open) => {
  async function fresh(): Promise<Opened> {
    const dataDir = await mkdtemp(join(tmpdir(), "kefu-store-"));
    const opened = await open(dataDir);
    cleanups.push(async () => {
      await opened.store.close();
      await rm(dataDir, { recursive: true, force: true });
    });
    return opened;
  }

  it("publishes each change as one version, with history and documents as published", async () => {
    const { store } = await fresh();
    expect(await store.version()).toBe(0);
    const first = await store.applyChanges({ upserts: [faq("returns", "Returns within 30 days."), faq("shipping", "Ships in 2 days.")], deletes: [], origin: "test" });
    expect(first).toMatchObject({ version: 1, added: 2, updated: 0, removed: 0 });
    const second = await store.applyChanges({ upserts: [faq("returns", "Returns within 14 days.")], deletes: ["faq:shipping:en"], origin: "test" });
    expect(second).toMatchObject({ version: 2, added: 0, updated: 1, removed: 1 });
    expect(await store.version()).toBe(2);
    expect(await store.passageCount()).toBe(1);
    expect(await store.hasDocument("faq:shipping:en")).toBe(false);
    expect(await store.getDocument("faq:returns:en")).toMatchObject({ sections: [{ text: "Returns within 14 days." }] });
    expect(await store.listDocumentIds("api:test")).toEqual(["faq:returns:en"]);
    expect((await store.listDocuments({ search: "14 days", limit: 10 })).map((document) => document.id)).toEqual(["faq:returns:en"]);
    expect((await store.listVersions()).map((version) => version.version)).toEqual([2, 1]);
    const rolledBack = await store.rollback(1);
    expect(rolledBack).toMatchObject({ version: 3 });
    expect(await store.hasDocument("faq:shipping:en")).toBe(true);
  });

  it("refuses bad changes with a coded error and changes nothing", async () => {
    const { store } = await fresh();
    await store.applyChanges({ upserts: [faq("returns", "Returns within 30 days.")], deletes: [], origin: "test" });
    const error = await store.applyChanges({ upserts: [], deletes: ["faq:nothing:en"], origin: "test" }).then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "NOT_FOUND" });
    await expect(store.rollback(42)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await store.version()).toBe(1);
  });
});

describe("the writer thread", () => {
  it("tells the search side of every publish", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "kefu-store-"));
    const { store, published } = await implementations[1]![1](dataDir);
    cleanups.push(async () => (await store.close(), await rm(dataDir, { recursive: true, force: true })));
    await store.applyChanges({ upserts: [faq("returns", "Returns within 30 days.")], deletes: [], origin: "test" });
    expect(published.map((report) => report.version)).toEqual([1]);
  });
});
