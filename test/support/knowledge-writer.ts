/**
 * A child process for crash tests: publishes knowledge versions in a loop, each adding a batch of
 * products tagged with its round, and says on stdout when a round starts and when it is published.
 * The test kills it with SIGKILL at some point and checks what a restart finds.
 */
import { SqliteKnowledgeStore } from "../../src/knowledge/sqlite-knowledge-store.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { HashingEmbedder } from "../../src/retrieval/hashing-embedder.ts";

const [dataDir, perRound = "400"] = process.argv.slice(2);
const knowledge = await SqliteKnowledgeStore.open({ dataDir: dataDir!, embedder: new HashingEmbedder(), synchronous: "full", logger: createSilentLogger() });
for (let round = (await knowledge.version()) + 1; ; round += 1) {
  const documents = Array.from({ length: Number(perRound) }, (_, index) => ({
    id: `product:R${round}-${index}:en`,
    productId: `R${round}-${index}`,
    lang: "en" as const,
    kind: "product",
    title: `Round ${round} item ${index}`,
    url: null,
    sections: [{ title: `Round ${round} item ${index}`, text: `Item ${index} of round ${round}: a sturdy thing with ${index % 7} pockets and a ${index % 5} year warranty. `.repeat(3) }],
    source: "api:crash-test",
  }));
  process.stdout.write(`start ${round}\n`);
  await knowledge.applyChanges({ upserts: documents, deletes: [], origin: `round-${round}` });
  process.stdout.write(`published ${round}\n`);
}
