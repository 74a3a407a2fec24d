import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { KnowledgeBase } from "../../src/knowledge/knowledge-base.ts";
import type { SourceDocument } from "../../src/knowledge/source-document.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { HashingEmbedder } from "../../src/retrieval/hashing-embedder.ts";

let dataDir: string;
afterAll(async () => rm(dataDir, { recursive: true, force: true }));

const open = () => KnowledgeBase.open({ dataDir, embedder: new HashingEmbedder(), ef: 64, synchronous: "normal", logger: createSilentLogger() });
const product = (index: number, text: string): SourceDocument => ({
  id: `product:P${index}:en`, productId: `P${index}`, lang: "en", kind: "product", title: `Product ${index}`, url: null,
  sections: [{ title: `Product ${index}`, text }], source: "api:test",
});

describe("restarting after updates", () => {
  it("reloads the saved index with its deleted entries instead of rebuilding it", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "kefu-restart-"));
    let knowledge = await open();
    await knowledge.applyChanges({ upserts: Array.from({ length: 300 }, (_, index) => product(index, `first text of product ${index}`)), deletes: [], origin: "test" });
    await knowledge.applyChanges({ upserts: Array.from({ length: 30 }, (_, index) => product(index, `changed text of product ${index}`)), deletes: [], origin: "test" });
    const before = knowledge.indexStats;
    expect(before.deleted).toBe(30);
    expect(before.live).toBe(300);
    await knowledge.close();

    knowledge = await open();
    // A rebuilt index would have no deleted entries.
    expect(knowledge.indexStats).toEqual(before);
    await knowledge.applyChanges({ upserts: [product(0, "third text of product 0")], deletes: [], origin: "test" });
    expect(knowledge.indexStats.live).toBe(300);
    await knowledge.close();
  });
});
