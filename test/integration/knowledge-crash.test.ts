import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openLocalKnowledge } from "../../src/knowledge/open-local-knowledge.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { HashingEmbedder } from "../../src/retrieval/hashing-embedder.ts";

const WRITER = new URL("../support/knowledge-writer.ts", import.meta.url).pathname;
const PER_ROUND = 400;
let dataDir: string;

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Run the writer until it has started `rounds` rounds plus a delay, then SIGKILL it. */
function runAndKill(rounds: number, delayMs: number): Promise<{ started: number; published: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dataDir, String(PER_ROUND)], { stdio: ["ignore", "pipe", "inherit"] });
    let started = 0;
    let published = 0;
    let startsSeen = 0;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      for (const line of chunk.trim().split("\n")) {
        const [word, round] = line.split(" ");
        if (word === "start") {
          started = Number(round);
          startsSeen += 1;
          if (startsSeen === rounds) setTimeout(() => child.kill("SIGKILL"), delayMs);
        }
        if (word === "published") published = Number(round);
      }
    });
    child.on("exit", () => resolve({ started, published }));
    child.on("error", reject);
  });
}

describe("killing the process during a knowledge update", () => {
  it("always restarts on a whole version with an index that matches it", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "kefu-crash-"));
    // Kill at different points of a round: while embedding, while adding vectors, while committing or saving.
    for (const delayMs of [0, 40, 120, 250, 400, 700]) {
      const { started, published } = await runAndKill(1, delayMs);
      const local = await openLocalKnowledge({ dataDir, embedder: new HashingEmbedder(), ef: 64, synchronous: "full", logger: createSilentLogger() });
      const { knowledge } = local;
      try {
        const version = await knowledge.version();
        // Either the round in progress was published whole, or not at all.
        expect([published, started]).toContain(version);
        const rounds = (await knowledge.listVersions(1000)).length;
        expect(rounds).toBe(version);
        expect(await knowledge.passageCount()).toBe(version * PER_ROUND);
        expect((await local.reader()).indexStats.live).toBe(version * PER_ROUND);
        if (version > 0) {
          // The exact text of one passage of the last round is in the dense index (searched within its product,
          // which is exact: these synthetic passages are near-duplicates, where approximate search may miss one).
          const text = `Round ${version} item 17\n${`Item 17 of round ${version}: a sturdy thing with ${17 % 7} pockets and a ${17 % 5} year warranty. `.repeat(3).trim()}`;
          const found = await (await local.retriever()).retrieve({ query: text, topK: 3, mode: "dense", productId: `R${version}-17` });
          expect(found.passages[0]).toMatchObject({ documentId: `product:R${version}-17:en` });
          expect(found.passages[0]!.denseSimilarity).toBeGreaterThan(0.999);
        }
      } finally {
        await local.close();
      }
    }
  }, 120_000);
});
