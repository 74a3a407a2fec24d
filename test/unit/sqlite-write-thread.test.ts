import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "vitest";
import type { Draft } from "../../src/knowledge/curation-store.ts";
import { SqliteCurationStore } from "../../src/knowledge/sqlite-curation-store.ts";
import { SqliteCatalogDraftLog } from "../../src/shopping/sqlite-catalog-draft-log.ts";
import { CURATION_WRITES } from "../../src/knowledge/curation-writes.ts";
import { SqliteWriteThread } from "../../src/storage/sqlite-write-thread.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "kefu-write-thread-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const draft = (id: string, question = `Q ${id}?`): Draft => ({
  id, question, answer: `A ${id}.`, lang: "en", conversationId: null, createdBy: "catalog:KF-1", status: "draft", documentId: null, createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z",
});

/** What another connection sees committed in the file (as after a crash of this process). */
function committedCount(path: string, table: string): number {
  const reader = new DatabaseSync(path, { readOnly: true });
  try {
    return (reader.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    reader.close();
  }
}

describe("SQLite stores whose writes run in a writer thread", () => {
  it("commits a curation write in its thread, not in the call: nothing is written until the call's promise settles, all of it once it has", async () => {
    const path = join(await folder(), "curation.db");
    const store = new SqliteCurationStore(path, { synchronous: "full" });
    cleanups.push(() => store.close());
    const adding = store.addDrafts([draft("d1"), draft("d2")]);
    // The event loop has not turned since: a write made on this thread would already be committed.
    expect(committedCount(path, "drafts")).toBe(0);
    await adding;
    expect(committedCount(path, "drafts")).toBe(2);
    expect((await store.listDrafts()).map((each) => each.id).sort()).toEqual(["d1", "d2"]);
  });

  it("records catalog lines in the draft log's thread the same way", async () => {
    const path = join(await folder(), "catalog-drafts.db");
    const log = new SqliteCatalogDraftLog(path, { synchronous: "full" });
    cleanups.push(() => log.close());
    const recording = log.record([{ sku: "KF-1", lang: "en", hash: "h1", draftIds: ["d1"], at: "2026-01-01T00:00:00.000Z" }]);
    expect(committedCount(path, "drafted_entries")).toBe(0);
    await recording;
    expect(committedCount(path, "drafted_entries")).toBe(1);
    expect(await log.isEmpty()).toBe(false);
  });

  it("fails the write a dying thread held, reports it, and a new thread takes the next writes", async () => {
    const path = join(await folder(), "curation.db");
    const crashes: unknown[] = [];
    const store = new SqliteCurationStore(path, { synchronous: "full", onWriterCrash: (error) => crashes.push(error), writerScript: new URL("../support/dying-curation-writer.ts", import.meta.url) });
    cleanups.push(() => store.close());
    await store.addDrafts([draft("d1")]);
    await expect(store.addDrafts([draft("d2", "die now")])).rejects.toMatchObject({ code: "UNAVAILABLE", message: expect.stringMatching(/writer thread stopped before confirming/) });
    expect(crashes.length).toBeGreaterThanOrEqual(1);
    await store.addDrafts([draft("d3")]);
    // An error in a write comes back as the same error: an unknown draft is NOT_FOUND.
    await expect(store.updateDraft("nope", { status: "dismissed" }, "2026-01-02T00:00:00.000Z")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await store.listDrafts()).map((each) => each.id).sort()).toEqual(["d1", "d3"]);
  });
});

describe("a writer thread's life", () => {
  it("starts with the first write, stops once idle, and starts again for the next write", async () => {
    const path = join(await folder(), "curation.db");
    // The store migrates the file; a second writer on it shows the thread's life in the open.
    const store = new SqliteCurationStore(path, { synchronous: "normal" });
    cleanups.push(() => store.close());
    const writer = new SqliteWriteThread<typeof CURATION_WRITES>(new URL("../../src/knowledge/curation-writer-worker.ts", import.meta.url), { path, synchronous: "normal" }, { name: "curation store", idleMs: 50 });
    cleanups.push(() => writer.close());
    expect(writer.running).toBe(false);
    await writer.write("addDrafts", [draft("d1")]);
    expect(writer.running).toBe(true);
    await expect.poll(() => writer.running, { timeout: 10_000 }).toBe(false);
    await writer.write("addDrafts", [draft("d2")]);
    expect((await store.listDrafts()).map((each) => each.id).sort()).toEqual(["d1", "d2"]);
  });

  it("closes once the writes asked before it are committed, and refuses writes after it", async () => {
    const path = join(await folder(), "curation.db");
    const store = new SqliteCurationStore(path, { synchronous: "normal" });
    cleanups.push(() => store.close());
    const writer = new SqliteWriteThread<typeof CURATION_WRITES>(new URL("../../src/knowledge/curation-writer-worker.ts", import.meta.url), { path, synchronous: "normal" }, { name: "curation store" });
    const writing = writer.write("addDrafts", [draft("d1"), draft("d2")]);
    await writer.close();
    await writing;
    expect(committedCount(path, "drafts")).toBe(2);
    await expect(writer.write("addDrafts", [draft("d3")])).rejects.toMatchObject({ code: "UNAVAILABLE" });
  });
});
