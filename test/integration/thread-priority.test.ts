import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SqliteCurationStore } from "../../src/knowledge/sqlite-curation-store.ts";
import { BACKGROUND_NICE } from "../../src/storage/sqlite-write-thread.ts";
import { startTestApp } from "../support/start-test-app.ts";

/** This process's threads and their nice values (Linux: field 19 of /proc/self/task/<tid>/stat). */
function niceByThread(): Map<number, number> {
  const values = new Map<number, number>();
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      const fields = readFileSync(`/proc/self/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ");
      values.set(Number(tid), Number(fields[16]));
    } catch {
      // The thread ended while being listed.
    }
  }
  return values;
}

// The pools' niceIncrement (worker-passage-index.ts, worker-knowledge-store.ts); Linux keeps a nice value per thread.
describe.runIf(process.platform === "linux")("the CPU priority of the server's threads", () => {
  it("lowers the search workers and the knowledge writer, and leaves the main thread (acks) and the conversation writer at the default", async () => {
    const before = niceByThread();
    const server = await startTestApp();
    try {
      const started = [...niceByThread()].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice);
      expect(started).toContain(10);
      expect(started).toContain(15);
      expect(started).toContain(0);
      expect(niceByThread().get(process.pid)).toBe(0);
      // Still serving: a shopper's question is answered from the search worker.
      const retrieval = await server.app.passages.retrieve({ query: "How long does delivery take?", topK: 3 });
      expect(retrieval.passages.length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it("lowers the writer thread of a small store (drafts, agents' edits) while it writes, and only that thread", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kefu-priority-"));
    const store = new SqliteCurationStore(join(dir, "curation.db"), { synchronous: "normal" });
    try {
      const before = niceByThread();
      await store.addDrafts([{ id: "d1", question: "Q?", answer: "A.", lang: "en", conversationId: null, createdBy: "catalog:KF-1", status: "draft", documentId: null, createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z" }]);
      const started = [...niceByThread()].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice);
      expect(started).toContain(BACKGROUND_NICE);
      expect(niceByThread().get(process.pid)).toBe(0);
      expect((await store.listDrafts()).map((draft) => draft.id)).toEqual(["d1"]);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
