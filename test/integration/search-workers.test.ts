import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.ts";
import type { SourceDocument } from "../../src/knowledge/source-document.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { WorkerPassageIndex } from "../../src/retrieval/worker-passage-index.ts";
import { crashNextTask } from "../support/crash-flag.ts";
import { Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

let server: TestApp | undefined;
const shoppers: Shopper[] = [];
afterEach(async () => {
  for (const client of shoppers.splice(0)) client.close();
  await server?.close();
  server = undefined;
});

/** The real search worker, whose thread can be made to crash (never inside a native call: see the module). */
const CRASHING_WORKER = new URL("../support/crashing-search-worker.ts", import.meta.url);

async function askDelivery(url: string): Promise<{ text: string; knowledgeVersion: number }> {
  const client = new Shopper(url);
  shoppers.push(client);
  await client.start({ locale: "en" });
  const ack = await client.send("How long does delivery take?");
  if (!ack.ok) throw new Error(`message refused: ${JSON.stringify(ack)}`);
  const end = await client.waitFor((event) => event.type === "answer-end" || event.type === "state-changed");
  client.close();
  if (end.type !== "answer-end") throw new Error(`no answer: ${JSON.stringify(client.timeline)}`);
  return { text: end.text, knowledgeVersion: end.knowledgeVersion };
}

const product = (index: number): SourceDocument => ({
  id: `product:BULK-${index}:en`, productId: `BULK-${index}`, lang: "en", kind: "product", title: `Bulk item ${index}`, url: null,
  sections: [{ title: `Bulk item ${index}`, text: `Bulk item ${index} is a storage box number ${index} with ${index % 9} dividers, made of recycled plastic. It stacks with other boxes of its series.` }],
  source: "api:test",
});

describe("search in worker threads", () => {
  it("reports a search worker that dies mid-search, retries on a fresh one, and keeps serving", async () => {
    server = await startTestApp({ overrides: { searchWorker: CRASHING_WORKER } });
    const { passages } = server.app;
    const crashesBefore = passages.crashes;
    // A real crash: the thread taking the first of these searches ends while the others are in flight.
    await crashNextTask(server.dataDir);
    const searching = Array.from({ length: 30 }, () => passages.retrieve({ query: "How long does delivery take?", topK: 3 }));
    for (const retrieval of await Promise.all(searching)) expect(retrieval.passages[0]).toMatchObject({ documentId: "faq:shipping:en" });
    expect(passages.crashes).toBeGreaterThan(crashesBefore);
    // The pool started new workers; chats are answered as before.
    expect((await askDelivery(server.url)).text).toContain("2 to 4 days");
  });

  it("fails a search whose retries die too with SEARCH_UNAVAILABLE, and serves the next one", async () => {
    server = await startTestApp();
    const index = new WorkerPassageIndex({
      workerData: { dataDir: server.dataDir, embedding: server.app.config.embedding, ef: 64, shape: { m: server.app.config.retrieval.m, efConstruction: server.app.config.retrieval.efConstruction } },
      threads: 1,
      retries: 0,
      logger: createSilentLogger(),
      script: CRASHING_WORKER,
    });
    try {
      expect((await index.retrieve({ query: "delivery", topK: 1 })).passages).toHaveLength(1);
      await crashNextTask(server.dataDir);
      const searching = Array.from({ length: 30 }, () => index.retrieve({ query: "delivery", topK: 1 }).then(() => null, (caught: unknown) => caught));
      const errors = (await Promise.all(searching)).filter((error) => error !== null);
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) {
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ code: "SEARCH_UNAVAILABLE" });
      }
      expect(index.crashes).toBe(errors.length);
      expect((await index.retrieve({ query: "delivery", topK: 1 })).passages).toHaveLength(1);
    } finally {
      await index.close();
    }
  });

  it("answers chats while a large publish is in progress, then from the new version", async () => {
    server = await startTestApp();
    const before = await server.app.knowledge.version();
    let published = false;
    const publishing = server.app.knowledge.applyChanges({ upserts: Array.from({ length: 6000 }, (_, index) => product(index)), deletes: [], origin: "test" }).then((report) => {
      published = true;
      return report;
    });
    const during = await askDelivery(server.url);
    expect(published).toBe(false);
    expect(during).toMatchObject({ knowledgeVersion: before });
    expect(during.text).toContain("2 to 4 days");
    const report = await publishing;
    expect(report).toMatchObject({ version: before + 1, added: 6000 });
    // The new version is served whole once the search workers have caught up with it.
    await expect.poll(async () => (await server!.app.passages.retrieve({ query: "bulk item 4321 storage box", topK: 3 })).knowledgeVersion, { timeout: 60_000 }).toBe(before + 1);
    const retrieval = await server.app.passages.retrieve({ query: "bulk item 4321 storage box", topK: 3 });
    expect(retrieval.passages.map((passage) => passage.documentId)).toContain("product:BULK-4321:en");
  }, 120_000);
});
