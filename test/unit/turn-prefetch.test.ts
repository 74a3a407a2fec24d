import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConversationRecord } from "../../src/conversations/conversation-store.ts";
import { SqliteConversationStore } from "../../src/conversations/sqlite-conversation-store.ts";
import { TurnPrefetch } from "../../src/conversations/turn-prefetch.ts";
import { buildTurnRequest, HISTORY_EVENTS, readHistory, type TurnRequestSources } from "../../src/conversations/turn-request.ts";
import type { TurnOutcome, TurnRequest, TurnWorker } from "../../src/conversations/turn-work.ts";
import type { CatalogProduct } from "../../src/catalog/product.ts";
import type { ShoppingReply } from "../../src/shopping/compose-reply.ts";

let dir: string;
let store: SqliteConversationStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "kefu-prefetch-"));
  store = new SqliteConversationStore(join(dir, "kefu.db"), { synchronous: "normal" });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

/** A search worker that answers each request with the query it was asked, and counts them. */
function worker(): TurnWorker & { asked: TurnRequest[] } {
  const asked: TurnRequest[] = [];
  return {
    asked,
    async turn(request) {
      asked.push(request);
      return { kind: "shopping", reply: { text: request.assess.retrieval.query } as unknown as ShoppingReply };
    },
  };
}

function prefetching() {
  const turns = worker();
  return { turns, prefetch: new TurnPrefetch({ ...sources(turns), knowledgeReady: Promise.resolve() }) };
}

function sources(turns: TurnWorker): TurnRequestSources & { store: SqliteConversationStore; turns: TurnWorker } {
  const catalog = { getProduct: async (sku: string) => ({ sku }) as unknown as CatalogProduct };
  return { store, turns, catalog, topK: 5, threshold: 0.5 };
}

/** A bot turn's way to the worker, as runBotTurn takes it: its own history and request, the prefetched outcome if it asked the same. */
async function turn(prefetch: TurnPrefetch, turns: TurnWorker, conversation: ConversationRecord, seq: number): Promise<TurnOutcome> {
  const events = await store.listEvents(conversation.id, Math.max(0, seq - HISTORY_EVENTS));
  const question = events.find((event) => event.seq === seq)!;
  if (question.type !== "message") throw new Error("not a message");
  const read = readHistory(events.filter((event) => event.seq < seq), question.text, 0.5);
  const request = await buildTurnRequest(sources(turns), conversation, question.text, "en", read);
  return (await prefetch.take(conversation.id, question.clientId, read.lastSeq, request)) ?? (await turns.turn(request));
}

async function conversation(): Promise<ConversationRecord> {
  return store.createConversation({ id: crypto.randomUUID(), tokenHash: crypto.randomUUID(), productId: null, locale: "en", now: new Date() });
}

function send(record: ConversationRecord, text: string, clientId: string = crypto.randomUUID()) {
  return store.appendEvent(record.id, { type: "message", author: "shopper", text, clientId, authorName: null }, new Date());
}

/** A message sent to the store with its turn's work begun meanwhile, as sendMessage does (asRead: the conversation as read before). */
function sendAsked(prefetch: TurnPrefetch, asRead: ConversationRecord, text: string, clientId: string) {
  const stored = send(asRead, text, clientId);
  prefetch.begin(asRead, { clientId, text }, "en", stored);
  return stored;
}

const query = (outcome: TurnOutcome) => (outcome.kind === "shopping" ? outcome.reply.text : null);

describe("a bot turn's search-worker work started while its question is stored", () => {
  it("is taken by the question's turn when it asked exactly the same: one worker request", async () => {
    const { turns, prefetch } = prefetching();
    const record = await conversation();
    const { event } = await sendAsked(prefetch, record, "How long does delivery take?", "c1");
    expect(query(await turn(prefetch, turns, record, event.seq))).toBe("How long does delivery take?");
    expect(turns.asked).toHaveLength(1);
  });

  it("is not used when the history changed before the question (the turn asks with the history it reads)", async () => {
    const { turns, prefetch } = prefetching();
    const record = await conversation();
    await send(record, "How much is the AP40 filter?");
    const asRead = (await store.getConversation(record.id))!;
    // Another question lands between the read and this one: a short follow-up is searched with the question before it.
    await send(record, "Is shipping free?");
    const { event } = await sendAsked(prefetch, asRead, "and to Hong Kong?", "c3");
    expect(query(await turn(prefetch, turns, asRead, event.seq))).toBe("Is shipping free? and to Hong Kong?");
    expect(turns.asked.map((request) => request.assess.retrieval.query)).toEqual(["How much is the AP40 filter? and to Hong Kong?", "Is shipping free? and to Hong Kong?"]);
  });

  it("is not used when the turn asks otherwise (the shopper moved to another page), nor for a duplicate or another message", async () => {
    const { turns, prefetch } = prefetching();
    const record = await conversation();
    const { event } = await sendAsked(prefetch, record, "How much is it?", "c1");
    await turn(prefetch, turns, { ...record, productId: "T-KETTLE-1" }, event.seq);
    expect(turns.asked.map((request) => request.assess.retrieval.productId)).toEqual([null, "T-KETTLE-1"]);

    // The same clientId again is a duplicate: what it prefetched is dropped.
    const again = (await store.getConversation(record.id))!;
    const duplicate = sendAsked(prefetch, again, "How much is it?", "c1");
    expect((await duplicate).duplicate).toBe(true);
    await expect.poll(() => turns.asked.length).toBe(3);
    expect(await prefetch.take(record.id, "c1", again.lastSeq, turns.asked[2]!)).toBeNull();

    // Another message's turn does not take it either.
    const other = sendAsked(prefetch, again, "Is shipping free?", "c2");
    await other;
    await expect.poll(() => turns.asked.length).toBe(4);
    expect(await prefetch.take(record.id, "c9", again.lastSeq, turns.asked[3]!)).toBeNull();
    expect(await prefetch.take(record.id, "c2", again.lastSeq, turns.asked[3]!)).toBeNull();
  });
});
