import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, expect, it } from "vitest";
import type { SourceDocument } from "../../src/knowledge/source-document.ts";
import { WorkerKnowledgeStore } from "../../src/knowledge/worker-knowledge-store.ts";
import { createSilentLogger } from "../../src/logger.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openStore(): Promise<WorkerKnowledgeStore> {
  return (await openStoreIn()).store;
}

async function openStoreIn(): Promise<{ store: WorkerKnowledgeStore; dataDir: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), "kefu-writer-parts-"));
  const store = await WorkerKnowledgeStore.open({
    workerData: { dataDir, embedding: { kind: "hashing", baseUrl: undefined, apiKey: undefined, model: "unused" }, synchronous: "normal", logLevel: "silent" },
    logger: createSilentLogger(),
  });
  cleanups.push(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  return { store, dataDir };
}

/** About 1,000 characters each: 150 of them are sent to the writer thread in more than one part. */
const faqs = (count: number, tag: string): SourceDocument[] =>
  Array.from({ length: count }, (_, index) => ({
    id: `faq:q${index}:en`, productId: null, lang: "en", kind: "faq", title: `Question ${index}`, url: null, source: "api:test",
    sections: [{ title: `Question ${index}`, text: `Answer ${index} ${tag}. ${"Our couriers deliver parcels on weekdays between nine and five. ".repeat(15)}` }],
  }));

it("publishes a change too large for one message whole, as one version", async () => {
  const store = await openStore();
  const report = await store.applyChanges({ upserts: faqs(150, "first"), deletes: [], origin: "test" });
  expect(report).toMatchObject({ version: 1, added: 150, updated: 0 });
  expect((await store.listDocumentIds("api:test")).length).toBe(150);
  expect(await store.getDocument("faq:q0:en")).toMatchObject({ sections: [{ text: expect.stringContaining("Answer 0 first.") }] });
  expect(await store.getDocument("faq:q149:en")).toMatchObject({ sections: [{ text: expect.stringContaining("Answer 149 first.") }] });
  // The writer thread runs at a lower priority: on a busy machine it waits for a core.
}, 120_000);

it("refuses a large change with a bad delete whole, and the next change publishes only its own documents", async () => {
  const store = await openStore();
  await store.applyChanges({ upserts: faqs(2, "kept"), deletes: [], origin: "test" });
  await expect(store.applyChanges({ upserts: faqs(150, "refused"), deletes: ["faq:nothing:en"], origin: "test" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  expect(await store.version()).toBe(1);
  expect(await store.getDocument("faq:q0:en")).toMatchObject({ sections: [{ text: expect.stringContaining("kept") }] });
  const next = await store.applyChanges({ upserts: faqs(150, "second").slice(100), deletes: [], origin: "test" });
  expect(next).toMatchObject({ version: 2, added: 50 });
  expect((await store.listDocumentIds("api:test")).length).toBe(52);
}, 120_000);

it("answers the version and a document at once while the writer thread waits inside a publish", async () => {
  const { store, dataDir } = await openStoreIn();
  await store.applyChanges({ upserts: faqs(2, "kept"), deletes: [], origin: "test" });
  // Another connection holds the write lock: the writer thread's publish waits for it (up to the
  // busy timeout, 5 s), blocking that thread. Reads must not queue behind it.
  const lock = new DatabaseSync(join(dataDir, "knowledge.db"));
  lock.exec("BEGIN IMMEDIATE");
  const publishing = store.applyChanges({ upserts: faqs(3, "next"), deletes: [], origin: "test" });
  await sleep(500);
  const during = [await store.version(), await store.getDocument("faq:q0:en"), await store.hasDocument("faq:q2:en")];
  lock.exec("COMMIT");
  lock.close();
  expect(during).toEqual([1, expect.objectContaining({ sections: [expect.objectContaining({ text: expect.stringContaining("Answer 0 kept.") })] }), false]);
  // Released within the writer's busy timeout: the publish goes through.
  expect(await publishing).toMatchObject({ version: 2 });
  expect(await store.getDocument("faq:q0:en")).toMatchObject({ sections: [{ text: expect.stringContaining("Answer 0 next.") }] });
  expect(await store.hasDocument("faq:q2:en")).toBe(true);
}, 120_000);
