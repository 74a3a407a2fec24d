import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openLocalKnowledge } from "../../src/knowledge/open-local-knowledge.ts";
import type { SourceDocument } from "../../src/knowledge/source-document.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { HashingEmbedder } from "../../src/retrieval/hashing-embedder.ts";

let dataDir: string;
afterAll(async () => rm(dataDir, { recursive: true, force: true }));

const open = () => openLocalKnowledge({ dataDir, embedder: new HashingEmbedder(), ef: 64, synchronous: "normal", logger: createSilentLogger() });
const product = (index: number, text: string): SourceDocument => ({
  id: `product:P${index}:en`, productId: `P${index}`, lang: "en", kind: "product", title: `Product ${index}`, url: null,
  sections: [{ title: `Product ${index}`, text }], source: "api:test",
});

describe("restarting after updates", () => {
  it("reloads the saved index with its deleted entries instead of rebuilding it, and follows later versions", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "kefu-restart-"));
    let local = await open();
    await local.knowledge.applyChanges({ upserts: Array.from({ length: 300 }, (_, index) => product(index, `first text of product ${index}`)), deletes: [], origin: "test" });
    let reader = await local.reader();
    await local.knowledge.applyChanges({ upserts: [], deletes: Array.from({ length: 30 }, (_, index) => `product:P${index + 100}:en`), origin: "test" });
    // The reader follows the new version by itself, searches serving the old one meanwhile: 30 entries deleted, nothing rebuilt.
    expect(reader.withSnapshot(() => reader.version)).toBe(1);
    expect(await reader.upToDate()).toBe(2);
    const before = reader.indexStats;
    expect(before.deleted).toBe(30);
    expect(before.live).toBe(270);
    await reader.checkpoint();
    await local.close();

    local = await open();
    reader = await local.reader();
    // A rebuilt index would have no deleted entries.
    expect(reader.indexStats).toEqual(before);
    await local.knowledge.applyChanges({ upserts: [product(0, "third text of product 0")], deletes: [], origin: "test" });
    // The changed passage's old entry is deleted and its new one takes the place of a deleted entry.
    expect(await reader.upToDate()).toBe(3);
    expect(reader.indexStats).toEqual({ live: 270, deleted: 30 });
    const found = await (await local.retriever()).retrieve({ query: "third text of product 0", topK: 1, mode: "dense" });
    expect(found).toMatchObject({ knowledgeVersion: 3, passages: [{ documentId: "product:P0:en" }] });
    await local.close();
  });
});
