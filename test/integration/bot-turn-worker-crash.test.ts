import { afterEach, describe, expect, it } from "vitest";
import type { TurnRequest } from "../../src/conversations/turn-work.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { WorkerPassageIndex } from "../../src/retrieval/worker-passage-index.ts";
import { crashNextTask } from "../support/crash-flag.ts";
import { Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

let server: TestApp | undefined;
const shoppers: Shopper[] = [];
const pools: WorkerPassageIndex[] = [];
afterEach(async () => {
  for (const client of shoppers.splice(0)) client.close();
  await server?.close();
  server = undefined;
  for (const pool of pools.splice(0)) await pool.close();
});

async function ask(url: string, question: string): Promise<Shopper> {
  const client = new Shopper(url);
  shoppers.push(client);
  await client.start({ locale: "en" });
  const ack = await client.send(question);
  if (!ack.ok) throw new Error(`message refused: ${JSON.stringify(ack)}`);
  return client;
}

/** The real search worker, whose thread can be made to crash (never inside a native call: see the module). */
const CRASHING_WORKER = new URL("../support/crashing-search-worker.ts", import.meta.url);

describe("a bot turn whose search worker dies", () => {
  it("is reported, retried on a fresh worker and answered, and the server keeps serving", async () => {
    server = await startTestApp({ overrides: { searchWorker: CRASHING_WORKER } });
    const { passages } = server.app;
    const before = passages.crashes;
    // A real crash: the thread taking the turn's task ends while it is on it.
    await crashNextTask(server.dataDir);
    const client = await ask(server.url, "How long does delivery take?");
    const end = await client.waitFor((event) => event.type === "answer-end" || event.type === "state-changed");
    expect(end).toMatchObject({ type: "answer-end", status: "complete" });
    expect(end.type === "answer-end" && end.text).toContain("2 to 4 days");
    expect(passages.crashes).toBeGreaterThan(before);
    // Served as before by the pool's new workers.
    const next = await ask(server.url, "How long does delivery take?");
    expect(await next.waitFor((event) => event.type === "answer-end")).toMatchObject({ status: "complete" });
  });

  it("fails clearly when the retry dies too: the shopper is told and handed to a person; the next question is answered", async () => {
    let dying: WorkerPassageIndex | undefined;
    let crashes = 1;
    const startDying = async (): Promise<WorkerPassageIndex> => {
      const { config } = server!.app;
      const pool = new WorkerPassageIndex({
        workerData: { dataDir: server!.dataDir, embedding: config.embedding, ef: config.retrieval.ef, shape: { m: config.retrieval.m, efConstruction: config.retrieval.efConstruction } },
        threads: 1,
        retries: 0,
        logger: createSilentLogger(),
        script: CRASHING_WORKER,
      });
      pools.push(pool);
      // Its thread is up and has opened the index, so the turn's task goes to it at once; that task ends the thread.
      await pool.retrieve({ query: "delivery", topK: 1 });
      await crashNextTask(server!.dataDir);
      return pool;
    };
    server = await startTestApp({
      overrides: {
        turns: (pool) => ({
          turn: async (request: TurnRequest) => {
            if (crashes-- <= 0) return pool.turn(request);
            return dying!.turn(request);
          },
        }),
      },
    });
    dying = await startDying();
    const client = await ask(server.url, "How long does delivery take?");
    const handoff = await client.waitFor((event) => event.type === "state-changed");
    expect(handoff).toMatchObject({ state: "waiting", reason: "search-unavailable" });
    const notice = await client.waitFor((event) => event.type === "notice" && event.code === "llm-unavailable");
    expect(notice.type === "notice" && notice.text).toMatch(/technical problem/);
    expect(client.timeline.some((event) => event.type === "answer-start")).toBe(false);
    expect(dying.crashes).toBe(1);
    // That pool started a new worker too (which then stops quickly when the test closes it).
    expect((await dying.retrieve({ query: "delivery", topK: 1 })).passages).toHaveLength(1);
    // The server's own pool was never touched: the next shopper is answered.
    const next = await ask(server.url, "How long does delivery take?");
    expect(await next.waitFor((event) => event.type === "answer-end")).toMatchObject({ status: "complete" });
  });
});
