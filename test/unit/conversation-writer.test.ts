import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteConversationStore } from "../../src/conversations/sqlite-conversation-store.ts";
import { countLoopTurns } from "../support/loop-turns.ts";

let folder: string | undefined;
let store: SqliteConversationStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
  if (folder) await rm(folder, { recursive: true, force: true });
});

const message = (text: string, clientId: string) => ({ type: "message" as const, author: "shopper" as const, text, clientId, authorName: null });

describe("the conversation writer thread dying", () => {
  it("fails the writes it held clearly, reports it, and a new thread takes the next writes with seq gapless", async () => {
    folder = await mkdtemp(join(tmpdir(), "kefu-writer-"));
    const crashes: unknown[] = [];
    store = new SqliteConversationStore(join(folder, "kefu.db"), {
      synchronous: "full",
      onWriterCrash: (error) => crashes.push(error),
      writerScript: new URL("../support/dying-conversation-writer.ts", import.meta.url),
    });
    const now = new Date();
    await store.createConversation({ id: "c1", tokenHash: "t1", productId: null, locale: "en", now });
    expect((await store.appendEvent("c1", message("first", "m1"), now)).event.seq).toBe(1);

    await expect(store.appendEvent("c1", message("die now", "m2"), now)).rejects.toMatchObject({ code: "UNAVAILABLE", message: expect.stringMatching(/writer thread stopped before confirming/) });
    expect(crashes).toHaveLength(1);

    // The shopper's client sends its message again (same clientId): stored once, next seq.
    const again = await store.appendEvent("c1", message("second", "m2"), now);
    expect(again).toMatchObject({ duplicate: false, event: { seq: 2 } });
    expect((await store.appendEvent("c1", message("second", "m2"), now)).duplicate).toBe(true);
    expect((await store.listEvents("c1", 0)).map((event) => event.seq)).toEqual([1, 2]);
  });
});

describe("the order in which committed writes wake their callers", () => {
  it("wakes a shopper's message before the bot's answer events committed with it, each conversation in seq order", async () => {
    folder = await mkdtemp(join(tmpdir(), "kefu-writer-order-"));
    store = new SqliteConversationStore(join(folder, "kefu.db"), { synchronous: "full" });
    const now = new Date();
    await store.createConversation({ id: "c1", tokenHash: "t1", productId: null, locale: "en", now });
    await store.createConversation({ id: "c2", tokenHash: "t2", productId: null, locale: "en", now });
    await store.appendEvent("c1", message("first", "m1"), now);

    // Asked together, so committed together: c1's answer starts, c2's shopper asks, c1's shopper asks again.
    const woken: string[] = [];
    const track = <T>(name: string, promise: Promise<T>) => promise.then((value) => (woken.push(name), value));
    const results = await Promise.all([
      track("c1 answer-start", store.appendEvent("c1", { type: "answer-start", answerId: "a1", replyTo: 1 }, now)),
      track("c2 message", store.appendEvent("c2", message("hello", "m2"), now)),
      track("c1 message", store.appendEvent("c1", message("and another thing", "m3"), now)),
    ]);
    expect(woken).toEqual(["c2 message", "c1 answer-start", "c1 message"]);
    expect(results.map((result) => result.event.seq)).toEqual([2, 1, 3]);
    expect((await store.listEvents("c1", 0)).map((event) => event.type)).toEqual(["message", "answer-start", "message"]);
  });
});

describe("the bot's answers committed together", () => {
  it("wake one per turn of the event loop, after the acks committed with them", async () => {
    folder = await mkdtemp(join(tmpdir(), "kefu-writer-turns-"));
    store = new SqliteConversationStore(join(folder, "kefu.db"), { synchronous: "full" });
    const now = new Date();
    const ids = ["c1", "c2", "c3", "c4", "c5"];
    for (const id of ids) {
      await store.createConversation({ id, tokenHash: `t-${id}`, productId: null, locale: "en", now });
      await store.appendEvent(id, message("question", `m-${id}`), now);
    }
    const loop = countLoopTurns();
    const woken: { name: string; turn: number }[] = [];
    const track = <T>(name: string, promise: Promise<T>) => promise.then((value) => (woken.push({ name, turn: loop.turn }), value));
    try {
      // One commit: four conversations' answers start, and a fifth conversation's shopper asks again.
      await Promise.all([
        ...ids.slice(0, 4).map((id) => track(`${id} answer-start`, store!.appendEvent(id, { type: "answer-start", answerId: `a-${id}`, replyTo: 1 }, now))),
        track("c5 message", store.appendEvent("c5", message("again", "m-c5-2"), now)),
      ]);
    } finally {
      loop.stop();
    }
    expect(woken[0]!.name).toBe("c5 message");
    const answerTurns = woken.slice(1).map((entry) => entry.turn);
    expect(new Set(answerTurns).size).toBe(4);
    expect(Math.min(...answerTurns)).toBeGreaterThan(woken[0]!.turn);
  });
});
