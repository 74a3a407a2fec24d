import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import type { KnowledgeStore } from "../../src/knowledge/knowledge-store.ts";
import { PgKnowledgeStore } from "../../src/knowledge/pg-knowledge-store.ts";
import { SqliteKnowledgeStore } from "../../src/knowledge/sqlite-knowledge-store.ts";
import type { SourceDocument } from "../../src/knowledge/source-document.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { HashingEmbedder } from "../../src/retrieval/hashing-embedder.ts";
import { SqlitePassageReader } from "../../src/retrieval/sqlite-passage-reader.ts";
import { DEFAULT_HNSW_SHAPE } from "../../src/retrieval/vector-index.ts";
import { Postgres } from "../../src/storage/postgres.ts";
import { migrate } from "../../src/storage/postgres-migrations.ts";
import { createTestDatabase, postgresProblem } from "../support/services.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const faq = (id: number, round: number): SourceDocument => ({
  id: `faq:f${id}:en`, productId: null, lang: "en", kind: "faq", title: `About ${id}`, url: null, source: "api:test",
  sections: [{ title: `About ${id}`, text: `Answer ${id}, as of round ${round}. `.repeat(40) }],
});

/** The writer of a data folder's knowledge.db: the SQLite store itself, or the local copy of a Postgres store. */
const writers: { name: string; skip: string | null; open: (dataDir: string) => Promise<KnowledgeStore> }[] = [
  { name: "SQLite store", skip: null, open: (dataDir) => SqliteKnowledgeStore.open({ dataDir, embedder: new HashingEmbedder(), synchronous: "normal", logger: createSilentLogger(), checkpointEveryMs: 150 }) },
  {
    name: "Postgres store's local copy", skip: postgresProblem,
    open: async (dataDir) => {
      const database = await createTestDatabase();
      const postgres = await Postgres.connect(database.url, { max: 4 });
      cleanups.push(async () => (await postgres.close(), await database.drop()));
      await migrate(postgres);
      return PgKnowledgeStore.open({ postgres, dataDir, embedder: new HashingEmbedder(), synchronous: "normal", logger: createSilentLogger(), checkpointEveryMs: 150 });
    },
  },
];

describe.each(writers)("the published knowledge's log while search readers follow it: $name", ({ skip, open }) => {
  it.skipIf(skip !== null)("starts over instead of growing by every version: readers renew their snapshots and the writer copies the log once they have", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "kefu-log-"));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const embedder = new HashingEmbedder();
    const store = await open(dataDir);
    cleanups.push(() => store.close());
    await store.applyChanges({ upserts: Array.from({ length: 300 }, (_, id) => faq(id, 0)), deletes: [], origin: "test" });
    const readers = await Promise.all([1, 2].map(() => SqlitePassageReader.open({ dataDir, dimensions: embedder.dimensions, ef: 64, shape: DEFAULT_HNSW_SHAPE, renewSnapshotMs: 60 })));
    for (const reader of readers) cleanups.push(async () => reader.close());
    const logBytes = async () => (await stat(join(dataDir, "knowledge.db-wal"))).size;

    const sizes: number[] = [];
    for (let round = 1; round <= 6; round += 1) {
      await store.applyChanges({ upserts: Array.from({ length: 150 }, (_, id) => faq(id, round)), deletes: [], origin: "test" });
      for (const reader of readers) expect(await reader.upToDate()).toBe(round + 1);
      // The readers renew their snapshots by themselves, with no search coming, and the writer's next pass copies the log.
      await sleep(400);
      sizes.push(await logBytes());
    }
    const perVersion = sizes[1]! - sizes[0]!;
    // Growing, the log would add a version's pages every round; starting over, it stays the size of the largest write.
    expect(sizes.at(-1)!).toBeLessThanOrEqual(sizes[0]! * 1.2);
    expect(perVersion).toBeLessThan(sizes[0]! / 2);
    // Searches still read the version they were brought to.
    for (const reader of readers) {
      const hits = reader.withSnapshot(() => reader.getPassages(reader.searchLexical("round 6", 3).map((hit) => hit.label)));
      expect([...hits.values()].some((passage) => passage.text.includes("round 6"))).toBe(true);
    }
  });
});
