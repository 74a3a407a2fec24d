import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { SourceDocument } from "../../src/knowledge/source-document.ts";
import { SqliteKnowledgeStore } from "../../src/knowledge/sqlite-knowledge-store.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { HashingEmbedder } from "../../src/retrieval/hashing-embedder.ts";
import { SqlitePassageReader } from "../../src/retrieval/sqlite-passage-reader.ts";
import { DEFAULT_HNSW_SHAPE } from "../../src/retrieval/vector-index.ts";

const faq = (id: number, answer: string): SourceDocument => ({
  id: `faq:topic-${id}:en`, productId: null, lang: "en", kind: "faq", title: `About topic ${id}`, url: null, sections: [{ title: `About topic ${id}`, text: answer }], source: "api:test",
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("the search index under updates", () => {
  it("puts changed passages in deleted entries' slots, finds them by their new text, and rebuilds once deleted entries pass a tenth of the index", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "kefu-churn-"));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const embedder = new HashingEmbedder();
    const store = await SqliteKnowledgeStore.open({ dataDir, embedder, synchronous: "normal", logger: createSilentLogger() });
    cleanups.push(() => store.close());
    let reader: SqlitePassageReader | undefined;
    const text = (round: number, id: number) => `Round ${round}: topic ${id} ships in ${id % 7} days with parcel code r${round}t${id}.`;
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);
    const publish = async (round: number, ids: number[], deletes: number[] = []) => {
      await store.applyChanges({ upserts: ids.map((id) => faq(id, text(round, id))), deletes: deletes.map((id) => `faq:topic-${id}:en`), origin: "test" });
      await reader?.upToDate();
    };
    await publish(0, range(0, 1200));
    reader = await SqlitePassageReader.open({ dataDir, dimensions: embedder.dimensions, ef: 64, shape: DEFAULT_HNSW_SHAPE });
    cleanups.push(() => reader!.close());

    // A version's new passages are added before its removed ones are deleted: the first update leaves its old entries deleted…
    await publish(1, range(0, 50));
    expect(reader.indexStats).toEqual({ live: 1200, deleted: 50 });
    // …and the next one's new passages take their slots.
    await publish(2, range(50, 60));
    expect(reader.indexStats).toEqual({ live: 1200, deleted: 50 });
    for (const [round, id] of [[1, 7], [2, 55]] as const) {
      const [vector] = await embedder.embed([text(round, id)]);
      const [best] = reader.withSnapshot(() => reader!.searchDense(vector!, 1));
      expect(reader.getPassages([best!.label]).get(best!.label)?.text).toContain(`r${round}t${id}`);
    }

    // Removing more than the next versions add leaves entries deleted; past a tenth of the live ones the next version is followed by a rebuild.
    await publish(3, [], range(1000, 1090));
    expect(reader.indexStats).toEqual({ live: 1110, deleted: 140 });
    await publish(4, [0]);
    expect(reader.indexStats).toEqual({ live: 1110, deleted: 0 });
  });
});
