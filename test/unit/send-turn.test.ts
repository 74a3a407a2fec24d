import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { sendTurn, TurnRunner, type CatalogDeliveries, type TurnRequest, type TurnTask, type TurnTaskResult } from "../../src/conversations/turn-work.ts";
import type { Retrieval } from "../../src/retrieval/passage-index.ts";
import type { ShoppingReply } from "../../src/shopping/compose-reply.ts";
import type { CatalogChange } from "../../src/shopping/catalog-change.ts";
import type { ShopProduct } from "../../src/shopping/shop-product.ts";

const REPLY = { text: "cards" } as unknown as ShoppingReply;

/** A worker thread as sendTurn sees it: it keeps the last generation of products it was sent. */
function worker() {
  const seen = { tasks: 0, withProducts: 0, withChange: 0, generation: null as number | null };
  const run = async (task: TurnTask): Promise<TurnTaskResult> => {
    seen.tasks += 1;
    if (task.shopping?.products) seen.withProducts += 1;
    if (task.shopping?.change) seen.withChange += 1;
    await nextTurn();
    if (task.shopping && task.shopping.generation !== seen.generation) {
      if (!task.shopping.products && task.shopping.change?.from !== seen.generation) return { kind: "need-catalog", has: seen.generation };
      seen.generation = task.shopping.generation;
    }
    return { kind: "shopping", reply: REPLY };
  };
  return { seen, run };
}

const request = (generation: number, change: CatalogChange | null = null): TurnRequest => ({
  shopping: { question: { request: { question: "what's new?", language: "en", pageSku: null, previousSkus: [] }, today: "2026-12-06", settings: {} as never }, catalog: { generation, products: [] as ShopProduct[], change } },
  assess: { retrieval: { query: "what's new?", topK: 5 }, question: "what's new?", product: null, threshold: 0.5 },
});

describe("sending turns with the shopping catalog", () => {
  it("copies a generation's products to the worker once, however many turns were queued behind it", async () => {
    const { seen, run } = worker();
    const deliveries: CatalogDeliveries = new Map();
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => sendTurn(request(1), run, deliveries)));
    expect(outcomes.every((outcome) => outcome.kind === "shopping")).toBe(true);
    expect(seen.withProducts).toBe(1);
    // A new generation is delivered once too.
    await Promise.all(Array.from({ length: 10 }, () => sendTurn(request(2), run, deliveries)));
    expect(seen.withProducts).toBe(2);
    expect(deliveries.size).toBe(0);
  });

  it("lets the waiting turns deliver again when the delivery in flight fails", async () => {
    const { seen, run } = worker();
    let failOnce = true;
    const flaky = async (task: TurnTask) => {
      if (task.shopping?.products && failOnce) {
        failOnce = false;
        await nextTurn();
        throw new Error("worker died");
      }
      return run(task);
    };
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => sendTurn(request(1), flaky, new Map())));
    expect(outcomes.filter((outcome) => outcome.status === "rejected")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(4);
    expect(seen.generation).toBe(1);
  });

  it("sends a worker holding the generation before only the change from it, and a worker holding none every product", async () => {
    const deliveries: CatalogDeliveries = new Map();
    const held = worker();
    await sendTurn(request(1), held.run, deliveries);
    await Promise.all(Array.from({ length: 10 }, () => sendTurn(request(2, { from: 1, upserts: [], removed: ["KF-1"] }), held.run, deliveries)));
    expect(held.seen).toMatchObject({ withProducts: 1, withChange: 1, generation: 2 });

    const fresh = worker();
    await sendTurn(request(2, { from: 1, upserts: [], removed: ["KF-1"] }), fresh.run, deliveries);
    expect(fresh.seen).toMatchObject({ withProducts: 1, withChange: 0, generation: 2 });
    // Two generations behind: the change is from the one in between, so every product goes.
    await sendTurn(request(4, { from: 3, upserts: [], removed: [] }), held.run, deliveries);
    expect(held.seen).toMatchObject({ withProducts: 2, withChange: 1, generation: 4 });
  });
});

describe("a search worker's warm-up", () => {
  it("runs a whole turn's work in each language once, before any shopper's", async () => {
    const asked: { query: string; language: string | undefined }[] = [];
    const empty = (query: string): Retrieval => ({ query, language: "en", productId: null, requestedProductId: null, knowledgeVersion: 1, passages: [], pagePassages: [], storePassages: [], bestLexicalScore: null, bestDenseSimilarity: null });
    const runner = new TurnRunner(async (request) => {
      asked.push({ query: request.query, language: request.language });
      return empty(request.query);
    });
    await runner.warmUp((error) => {
      throw error;
    });
    expect(asked.map((entry) => entry.language)).toEqual(["en", "zh"]);
    expect(asked.every((entry) => entry.query.length > 0)).toBe(true);
  });

  it("reports a warm-up that fails and lets the thread serve: it only saves time", async () => {
    const failures: unknown[] = [];
    const runner = new TurnRunner(async () => {
      throw new Error("no such table: passages");
    });
    await expect(runner.warmUp((error) => failures.push(error))).resolves.toBeUndefined();
    expect(failures).toHaveLength(2);
  });
});
