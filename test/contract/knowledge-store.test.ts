import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.ts";
import type { IngestReport, KnowledgeStore } from "../../src/knowledge/knowledge-store.ts";
import type { LoadedKnowledge } from "../../src/knowledge/load-knowledge.ts";
import type { MirrorProgress } from "../../src/knowledge/knowledge-mirror.ts";
import { PgKnowledgeStore } from "../../src/knowledge/pg-knowledge-store.ts";
import { productToDocument } from "../../src/knowledge/read-catalog.ts";
import type { SourceDocument } from "../../src/knowledge/source-document.ts";
import { SqliteKnowledgeStore } from "../../src/knowledge/sqlite-knowledge-store.ts";
import { WorkerKnowledgeStore } from "../../src/knowledge/worker-knowledge-store.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { HashingEmbedder } from "../../src/retrieval/hashing-embedder.ts";
import { Retriever } from "../../src/retrieval/retriever.ts";
import { SqlitePassageReader } from "../../src/retrieval/sqlite-passage-reader.ts";
import { DEFAULT_HNSW_SHAPE } from "../../src/retrieval/vector-index.ts";
import { Postgres } from "../../src/storage/postgres.ts";
import { migrate } from "../../src/storage/postgres-migrations.ts";
import { createTestDatabase, postgresProblem } from "../support/services.ts";

type Opened = { store: KnowledgeStore; published: IngestReport[]; close(): Promise<void> };
const HASHING = { kind: "hashing", baseUrl: undefined, apiKey: undefined, model: "unused" } as const;

/** A fresh database with the schema, dropped by the cleanup. */
async function freshDatabase(): Promise<{ url: string; postgres: Postgres; close(): Promise<void> }> {
  const database = await createTestDatabase();
  const postgres = await Postgres.connect(database.url, { max: 4 });
  await migrate(postgres);
  return { url: database.url, postgres, close: async () => (await postgres.close(), await database.drop()) };
}

/** Every KnowledgeStore implementation, opened on a fresh data folder (and a fresh database for Postgres). */
const implementations: { name: string; skip: string | null; open: (dataDir: string) => Promise<Opened> }[] = [
  {
    name: "SqliteKnowledgeStore (this thread)", skip: null,
    open: async (dataDir) => {
      const store = await SqliteKnowledgeStore.open({ dataDir, embedder: new HashingEmbedder(), synchronous: "normal", logger: createSilentLogger() });
      return { store, published: [], close: () => store.close() };
    },
  },
  {
    name: "WorkerKnowledgeStore on SQLite (writer thread)", skip: null,
    open: async (dataDir) => {
      const published: IngestReport[] = [];
      const store = await WorkerKnowledgeStore.open({ workerData: { dataDir, embedding: HASHING, synchronous: "normal", logLevel: "silent" }, logger: createSilentLogger(), onPublished: (report) => published.push(report) });
      return { store, published, close: () => store.close() };
    },
  },
  {
    name: "PgKnowledgeStore (this thread)", skip: postgresProblem,
    open: async (dataDir) => {
      const database = await freshDatabase();
      const store = await PgKnowledgeStore.open({ postgres: database.postgres, dataDir, embedder: new HashingEmbedder(), synchronous: "normal", logger: createSilentLogger() });
      return { store, published: [], close: async () => (await store.close(), await database.close()) };
    },
  },
  {
    name: "WorkerKnowledgeStore on Postgres (writer thread)", skip: postgresProblem,
    open: async (dataDir) => {
      const database = await freshDatabase();
      const published: IngestReport[] = [];
      const store = await WorkerKnowledgeStore.open({
        workerData: { dataDir, embedding: HASHING, synchronous: "normal", logLevel: "silent", databaseUrl: database.url },
        logger: createSilentLogger(),
        onPublished: (report) => published.push(report),
      });
      return { store, published, close: async () => (await store.close(), await database.close()) };
    },
  },
];

const faq = (id: string, answer: string, source = "api:test"): SourceDocument => ({
  id: `faq:${id}:en`, productId: null, lang: "en", kind: "faq", title: `About ${id}`, url: null, sections: [{ title: `About ${id}`, text: answer }], source,
});

/** A folder read, as loadKnowledge gives it: files with their documents and content hashes. */
function folder(files: Record<string, SourceDocument[] | "rejected">): LoadedKnowledge {
  const sources = Object.keys(files).map((file) => `file:${file}`);
  return {
    sources,
    documents: Object.entries(files).flatMap(([file, documents]) => (documents === "rejected" ? [] : documents.map((document) => ({ ...document, source: `file:${file}` })))),
    problems: Object.entries(files).filter(([, documents]) => documents === "rejected").map(([file]) => ({ file, line: 1, message: "bad line" })),
    rejectedSources: Object.entries(files).filter(([, documents]) => documents === "rejected").map(([file]) => `file:${file}`),
    fileHashes: new Map(Object.entries(files).map(([file, documents]) => [`file:${file}`, JSON.stringify(documents)])),
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "kefu-store-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Search over a data folder's published passages, as the search workers read it. */
async function searchIn(dataDir: string, query: string) {
  const embedder = new HashingEmbedder();
  const reader = await SqlitePassageReader.open({ dataDir, dimensions: embedder.dimensions, ef: 64, shape: DEFAULT_HNSW_SHAPE });
  try {
    return await new Retriever(reader, embedder).retrieve({ query, topK: 3 });
  } finally {
    reader.close();
  }
}

for (const implementation of implementations) {
  describe.skipIf(implementation.skip !== null)(`KnowledgeStore contract: ${implementation.name}${implementation.skip ? ` (skipped: ${implementation.skip})` : ""}`, () => {
    async function fresh(): Promise<Opened & { dataDir: string }> {
      const dataDir = await tempDir();
      const opened = await implementation.open(dataDir);
      cleanups.push(() => opened.close());
      return { ...opened, dataDir };
    }

    it("publishes each change as one version, with history and documents as published", async () => {
      const { store, published } = await fresh();
      expect(await store.version()).toBe(0);
      const first = await store.applyChanges({ upserts: [faq("returns", "Returns within 30 days."), faq("shipping", "Ships in 2 days.")], deletes: [], origin: "test" });
      expect(first).toMatchObject({ version: 1, added: 2, updated: 0, removed: 0, passages: 2 });
      // A listed document's hash changes exactly when its content does (readers keep what did not change by it).
      const hashOf = async (id: string) => (await store.listDocuments({ limit: 10 })).find((document) => document.id === id)?.hash;
      const firstHash = await hashOf("faq:returns:en");
      expect(firstHash).toEqual(expect.any(String));
      const second = await store.applyChanges({ upserts: [faq("returns", "Returns within 14 days.")], deletes: ["faq:shipping:en"], origin: "test" });
      const secondHash = await hashOf("faq:returns:en");
      expect(secondHash).not.toBe(firstHash);
      expect(second).toMatchObject({ version: 2, added: 0, updated: 1, removed: 1 });
      expect(await store.version()).toBe(2);
      expect(await store.passageCount()).toBe(1);
      expect(await store.hasDocument("faq:shipping:en")).toBe(false);
      expect(await store.getDocument("faq:shipping:en")).toBeNull();
      expect(await store.getDocument("faq:returns:en")).toMatchObject({ sections: [{ text: "Returns within 14 days." }] });
      expect(await store.listDocumentIds("api:test")).toEqual(["faq:returns:en"]);
      expect((await store.listDocuments({ search: "14 DAYS", limit: 10 })).map((document) => document.id)).toEqual(["faq:returns:en"]);
      expect((await store.listDocuments({ limit: 10 }))[0]).toMatchObject({ id: "faq:returns:en", source: "api:test", lang: "en", kind: "faq", passages: 1 });
      expect((await store.listVersions()).map((version) => [version.version, version.origin, version.added, version.updated, version.removed])).toEqual([[2, "test", 0, 1, 1], [1, "test", 2, 0, 0]]);
      const same = await store.applyChanges({ upserts: [faq("returns", "Returns within 14 days.")], deletes: [], origin: "test" });
      expect(same).toMatchObject({ version: 2, unchanged: 1, added: 0 });
      expect(await hashOf("faq:returns:en")).toBe(secondHash);
      const rolledBack = await store.rollback(1);
      expect(rolledBack).toMatchObject({ version: 3, added: 1, updated: 1 });
      expect(await store.hasDocument("faq:shipping:en")).toBe(true);
      expect(await store.getDocument("faq:returns:en")).toMatchObject({ sections: [{ text: "Returns within 30 days." }] });
      if (implementation.name.startsWith("Worker")) expect(published.map((report) => report.version)).toEqual([1, 2, 2, 3]);
    });

    it("lists every published product document's id and content hash in id order, and nothing else", async () => {
      const { store } = await fresh();
      const product = (sku: string, price: number) => productToDocument({ sku, lang: "en", name: `Kettle ${sku}`, category: "Kitchen", price, currency: "CNY", launchDate: "2026-01-01", attributes: {}, description: "", url: null }, "api:test");
      expect(await store.productHashes()).toEqual({ ids: [], hashes: [] });
      await store.applyChanges({ upserts: [product("KF-B", 10), product("KF-A", 10), faq("returns", "Returns within 30 days.")], deletes: [], origin: "test" });
      const first = await store.productHashes();
      expect(first.ids).toEqual(["product:KF-A:en", "product:KF-B:en"]);
      expect(first.hashes).toEqual([expect.any(String), expect.any(String)]);
      await store.applyChanges({ upserts: [product("KF-B", 12)], deletes: ["product:KF-A:en"], origin: "test" });
      const second = await store.productHashes();
      expect(second.ids).toEqual(["product:KF-B:en"]);
      expect(second.hashes[0]).not.toBe(first.hashes[1]);
    });

    it("tells which documents changed after a version, from its history: product documents with their hash now, the others null", async () => {
      const { store } = await fresh();
      const product = (sku: string, price: number) => productToDocument({ sku, lang: "en", name: `Kettle ${sku}`, category: "Kitchen", price, currency: "CNY", launchDate: "2026-01-01", attributes: {}, description: "", url: null }, "api:test");
      expect(await store.documentChangesSince(0)).toEqual({ version: 0, ids: [], hashes: [] });
      expect(await store.documentChangesSince(1)).toBeNull();
      await store.applyChanges({ upserts: [product("KF-B", 10), product("KF-A", 10), faq("returns", "Returns within 30 days.")], deletes: [], origin: "test" });
      const hashes = async () => {
        const listed = await store.productHashes();
        return new Map(listed.ids.map((id, index) => [id, listed.hashes[index]!]));
      };
      const first = await hashes();
      expect(await store.documentChangesSince(0)).toEqual({ version: 1, ids: ["faq:returns:en", "product:KF-A:en", "product:KF-B:en"], hashes: [null, first.get("product:KF-A:en"), first.get("product:KF-B:en")] });
      await store.applyChanges({ upserts: [product("KF-B", 12), product("KF-C", 10)], deletes: ["product:KF-A:en"], origin: "test" });
      const second = await hashes();
      expect(second.get("product:KF-B:en")).not.toBe(first.get("product:KF-B:en"));
      expect(await store.documentChangesSince(1)).toEqual({ version: 2, ids: ["product:KF-A:en", "product:KF-B:en", "product:KF-C:en"], hashes: [null, second.get("product:KF-B:en"), second.get("product:KF-C:en")] });
      expect(await store.documentChangesSince(2)).toEqual({ version: 2, ids: [], hashes: [] });
      // Across several versions, each document once, as it is now.
      expect((await store.documentChangesSince(0))!.ids).toEqual(["faq:returns:en", "product:KF-A:en", "product:KF-B:en", "product:KF-C:en"]);
      await store.rollback(1);
      const third = await hashes();
      // (Postgres may publish the FAQ again too: its stored copy's key order changes its hash.)
      const rolledBack = (await store.documentChangesSince(2))!;
      const products = rolledBack.ids.flatMap((id, index) => (id.startsWith("product:") ? [[id, rolledBack.hashes[index]]] : []));
      expect({ version: rolledBack.version, products }).toEqual({ version: 3, products: [["product:KF-A:en", third.get("product:KF-A:en")], ["product:KF-B:en", third.get("product:KF-B:en")], ["product:KF-C:en", null]] });
      expect(await store.documentChangesSince(4)).toBeNull();
      expect(await store.documentChangesSince(-1)).toBeNull();
    });

    it("refuses bad changes with a coded error and changes nothing", async () => {
      const { store } = await fresh();
      await store.applyChanges({ upserts: [faq("returns", "Returns within 30 days.")], deletes: [], origin: "test" });
      const error = await store.applyChanges({ upserts: [faq("new", "New.")], deletes: ["faq:nothing:en"], origin: "test" }).then(() => null, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "NOT_FOUND" });
      await expect(store.rollback(42)).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect(await store.version()).toBe(1);
      expect(await store.hasDocument("faq:new:en")).toBe(false);
    });

    it("makes the file documents match a folder: unchanged files skipped, rejected files kept, missing files deleted", async () => {
      const { store } = await fresh();
      const first = await store.sync(folder({ "a.md": [faq("a", "Alpha answer.")], "b.md": [faq("b", "Beta answer.")] }));
      expect(first).toMatchObject({ version: 1, added: 2 });
      const again = await store.sync(folder({ "a.md": [faq("a", "Alpha answer.")], "b.md": [faq("b", "Beta answer.")] }));
      expect(again).toMatchObject({ version: 1, added: 0, unchanged: 2 });
      const rejected = await store.sync(folder({ "a.md": "rejected", "b.md": [faq("b", "Beta answer, changed.")] }));
      expect(rejected).toMatchObject({ version: 2, updated: 1, removed: 0, problems: [{ file: "a.md" }] });
      expect(await store.hasDocument("faq:a:en")).toBe(true);
      const gone = await store.sync(folder({ "b.md": [faq("b", "Beta answer, changed.")] }));
      expect(gone).toMatchObject({ version: 3, removed: 1 });
      expect(await store.listDocumentIds("file:b.md")).toEqual(["faq:b:en"]);
      expect(await store.hasDocument("faq:a:en")).toBe(false);
    });

    it("a changed document keeps the passages whose content did not change; a search that follows the version sees the new ones and loses none", async () => {
      const { store, dataDir } = await fresh();
      const kettle = (price: number, batch: string) => productToDocument({
        sku: "KF-K", lang: "en", name: "Kettle KF-K", category: "Kitchen", price, currency: "CNY", launchDate: "2026-01-01", attributes: { Capacity: "1.7 L", Batch: batch },
        description: "A glass kettle that boils a full jug in four minutes and switches itself off when it runs dry.", url: null,
      }, "api:test");
      await store.applyChanges({ upserts: [kettle(199, "alpha"), faq("returns", "Returns within 30 days.")], deletes: [], origin: "test" });
      const embedder = new HashingEmbedder();
      const reader = await SqlitePassageReader.open({ dataDir, dimensions: embedder.dimensions, ef: 64, shape: DEFAULT_HNSW_SHAPE });
      cleanups.push(async () => reader.close());
      const db = new DatabaseSync(join(dataDir, "knowledge.db"), { readOnly: true });
      cleanups.push(async () => db.close());
      const labels = () => new Map((db.prepare("SELECT key, label FROM passages WHERE document_id = 'product:KF-K:en'").all() as { key: string; label: number }[]).map((row) => [row.key, row.label]));
      const before = labels();
      expect(before.size).toBeGreaterThan(2);

      const report = await store.applyChanges({ upserts: [kettle(209, "bravo")], deletes: [], origin: "test" });
      expect(report).toMatchObject({ version: 2, updated: 1, passages: before.size + 1 });
      const after = labels();
      const kept = [...after].filter(([key, label]) => before.get(key) === label).map(([key]) => key);
      const replaced = [...before.keys()].filter((key) => !kept.includes(key));
      // The description's passage stays; the ones holding the price and the attributes are new.
      expect(kept.length).toBeGreaterThan(0);
      expect(replaced.length).toBeGreaterThan(0);
      const removed = (db.prepare("SELECT label FROM removed_labels WHERE version = 2 ORDER BY label").all() as { label: number }[]).map((row) => row.label);
      expect(removed).toEqual(replaced.map((key) => before.get(key)!).sort((a, b) => a - b));

      expect(await reader.upToDate()).toBe(2);
      const retriever = new Retriever(reader, embedder);
      const search = async (query: string) => (await retriever.retrieve({ query, topK: 8, productId: "KF-K" })).passages.map((passage) => passage.text).join(" ");
      expect(await search("batch code")).toContain("bravo");
      expect(await search("batch code")).not.toContain("alpha");
      expect(await search("boils a full jug switches off runs dry")).toContain("runs dry");
      expect(reader.indexStats.live).toBe(after.size + 1);
    });

    it("search in the data folder serves the published version, and a snapshot is a knowledge folder of its own", async () => {
      const { store, dataDir } = await fresh();
      await store.applyChanges({ upserts: [faq("returns", "Returns are accepted within 30 days of delivery.")], deletes: [], origin: "test" });
      await store.applyChanges({ upserts: [faq("gift", "Gift wrapping costs 5 dollars per parcel.")], deletes: [], origin: "test" });
      const found = await searchIn(dataDir, "gift wrapping price");
      expect(found.knowledgeVersion).toBe(2);
      expect(found.passages[0]).toMatchObject({ documentId: "faq:gift:en" });
      const copy = await tempDir();
      await store.snapshotTo(copy);
      const candidate = await SqliteKnowledgeStore.open({ dataDir: copy, embedder: new HashingEmbedder(), synchronous: "normal", logger: createSilentLogger() });
      try {
        expect(await candidate.version()).toBe(2);
        expect(await candidate.passageCount()).toBe(2);
        expect(await candidate.applyChanges({ upserts: [], deletes: ["faq:gift:en"], origin: "candidate" })).toMatchObject({ version: 3, removed: 1 });
      } finally {
        await candidate.close();
      }
      expect(await store.version()).toBe(2);
      expect((await searchIn(dataDir, "gift wrapping price")).knowledgeVersion).toBe(2);
    });
  });
}

/** Two servers' knowledge stores on one database, each with its own data folder. */
describe.skipIf(postgresProblem !== null)(`knowledge shared through Postgres${postgresProblem ? ` (skipped: ${postgresProblem})` : ""}`, () => {
  /** Counts the texts it embeds, to prove a follower embeds nothing. */
  class CountingEmbedder extends HashingEmbedder {
    embedded = 0;
    override async embed(texts: readonly string[]): Promise<Float32Array[]> {
      this.embedded += texts.length;
      return super.embed(texts);
    }
  }

  async function servers(count: number) {
    const database = await freshDatabase();
    cleanups.push(() => database.close());
    const opened: { store: PgKnowledgeStore; embedder: CountingEmbedder; dataDir: string }[] = [];
    for (let index = 0; index < count; index += 1) {
      const dataDir = await tempDir();
      const embedder = new CountingEmbedder();
      const store = await PgKnowledgeStore.open({ postgres: database.postgres, dataDir, embedder, synchronous: "normal", logger: createSilentLogger() });
      cleanups.push(() => store.close());
      opened.push({ store, embedder, dataDir });
    }
    return { database, opened };
  }

  it("a version published by one server is served by another after it follows, embedded once; a rollback from either reaches both", async () => {
    const { opened } = await servers(2);
    const [a, b] = opened as [(typeof opened)[0], (typeof opened)[0]];
    await a.store.applyChanges({ upserts: [faq("returns", "Returns are accepted within 30 days of delivery.")], deletes: [], origin: "test" });
    await a.store.applyChanges({ upserts: [faq("returns", "Returns are accepted within 60 days of delivery.")], deletes: [], origin: "test" });
    expect(a.embedder.embedded).toBe(2);
    expect(await b.store.follow()).toEqual({ version: 2, changed: true });
    expect(await b.store.follow()).toEqual({ version: 2, changed: false });
    expect(b.embedder.embedded).toBe(0);
    const onB = await searchIn(b.dataDir, "how many days to return");
    expect(onB.knowledgeVersion).toBe(2);
    expect(onB.passages[0]!.text).toContain("60 days");

    expect(await b.store.rollback(1)).toMatchObject({ version: 3 });
    expect(await b.store.version()).toBe(3);
    expect(await a.store.version()).toBe(2);
    expect(await a.store.follow()).toEqual({ version: 3, changed: true });
    const onA = await searchIn(a.dataDir, "how many days to return");
    expect(onA.knowledgeVersion).toBe(3);
    expect(onA.passages[0]!.text).toContain("30 days");
    expect(onA.passages).toHaveLength(1);
  });

  it("versions are numbered without gaps when two servers publish at once", async () => {
    const { opened } = await servers(2);
    const publishes = opened.flatMap(({ store }, server) =>
      Array.from({ length: 4 }, (_, index) => store.applyChanges({ upserts: [faq(`s${server}-${index}`, `Answer ${server} ${index}.`)], deletes: [], origin: `server-${server}` })),
    );
    const versions = (await Promise.all(publishes)).map((report) => report.version).sort((x, y) => x - y);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const { store } of opened) {
      expect((await store.follow()).version).toBe(8);
      expect(await store.passageCount()).toBe(8);
    }
  });

  it("a server joining cold copies the published passages without embedding, and a copy of another database is replaced", async () => {
    const { opened, database } = await servers(1);
    const documents = Array.from({ length: 30 }, (_, index) => faq(`topic-${index}`, `Topic ${index} answer about item ${index}.`));
    await opened[0]!.store.applyChanges({ upserts: documents, deletes: [], origin: "test" });
    await opened[0]!.store.applyChanges({ upserts: [], deletes: ["faq:topic-0:en"], origin: "test" });

    const dataDir = await tempDir();
    const embedder = new CountingEmbedder();
    const progress: MirrorProgress[] = [];
    const cold = await PgKnowledgeStore.open({ postgres: database.postgres, dataDir, embedder, synchronous: "normal", logger: createSilentLogger(), onProgress: (value) => progress.push(value) });
    cleanups.push(() => cold.close());
    expect(await cold.follow()).toEqual({ version: 2, changed: true });
    expect(embedder.embedded).toBe(0);
    // What /healthz shows while a copy runs, then done.
    expect(progress).toEqual([{ copying: true, done: 29, total: 29, version: 2 }, { copying: false, done: 29, total: 29, version: 2 }]);
    expect(await cold.passageCount()).toBe(29);
    const found = await searchIn(dataDir, "topic 7 item");
    expect(found.knowledgeVersion).toBe(2);
    expect(found.passages[0]).toMatchObject({ documentId: "faq:topic-7:en" });
    await cold.close();

    // The same folder pointed at another (empty) database: the copy is thrown away, not mixed.
    const other = await freshDatabase();
    cleanups.push(() => other.close());
    const moved = await PgKnowledgeStore.open({ postgres: other.postgres, dataDir, embedder, synchronous: "normal", logger: createSilentLogger() });
    cleanups.push(() => moved.close());
    expect(await moved.follow()).toEqual({ version: 0, changed: true });
    expect((await searchIn(dataDir, "topic 7 item")).passages).toEqual([]);
  });
});
