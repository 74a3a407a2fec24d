import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConversationStore } from "../../src/conversations/conversation-store.ts";
import { PgConversationStore } from "../../src/conversations/pg-conversation-store.ts";
import { SqliteConversationStore } from "../../src/conversations/sqlite-conversation-store.ts";
import type { EventBody } from "../../src/protocol/conversation-events.ts";
import { storeBackends, type Opened } from "../support/store-backends.ts";

const backends = storeBackends<ConversationStore>({
  sqlite: (dir) => new SqliteConversationStore(join(dir, "kefu.db"), { synchronous: "normal" }),
  postgres: (database) => new PgConversationStore(database),
});

const T0 = new Date("2026-03-01T08:00:00.000Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const message = (text: string, clientId: string | null = null, author: "shopper" | "agent" = "shopper"): EventBody => ({ type: "message", author, text, clientId, authorName: null });
const handoff = { reason: "low-confidence", question: "Is it dishwasher safe?", confidence: { score: 0.2, threshold: 0.5, parts: { lexical: 0.1 } }, passages: [], draft: null };

for (const backend of backends) {
  describe.skipIf(backend.skip !== null)(`ConversationStore contract on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ""}`, () => {
    let opened: Opened<ConversationStore>;
    let store: ConversationStore;
    beforeEach(async () => {
      opened = await backend.open();
      store = opened.store;
    });
    afterEach(() => opened.close());

    const create = (id: string, seconds = 0) => store.createConversation({ id, tokenHash: `token-${id}`, productId: "p-1", locale: "en", now: at(seconds) });

    it("creates a conversation in the bot state, finds it by id and by token, and updates its context", async () => {
      const created = await create("c1");
      expect(created).toEqual({ id: "c1", state: "bot", productId: "p-1", locale: "en", lastSeq: 0, createdAt: T0.toISOString(), updatedAt: T0.toISOString() });
      expect(await store.findConversationByTokenHash("token-c1")).toEqual(created);
      expect(await store.findConversationByTokenHash("nope")).toBeNull();
      expect(await store.getConversation("nope")).toBeNull();
      await store.updateContext("c1", { locale: "zh" }, at(5));
      expect(await store.getConversation("c1")).toMatchObject({ productId: "p-1", locale: "zh", updatedAt: at(5).toISOString() });
      await store.updateContext("c1", { productId: null }, at(6));
      expect(await store.getConversation("c1")).toMatchObject({ productId: null, locale: "zh" });
    });

    it("numbers events from 1 without gaps, returns a known clientId as a duplicate, and lists after a seq", async () => {
      await create("c1");
      const appended = await Promise.all([1, 2, 3, 4, 5].map((n) => store.appendEvent("c1", message(`m${n}`, `client-${n}`), at(n))));
      expect(appended.map((entry) => [entry.event.seq, entry.duplicate])).toEqual([[1, false], [2, false], [3, false], [4, false], [5, false]]);
      const again = await store.appendEvent("c1", message("m2 resent", "client-2"), at(9));
      expect(again).toEqual({ event: { ...message("m2", "client-2"), conversationId: "c1", seq: 2, at: at(2).toISOString() }, duplicate: true });
      expect((await store.getConversation("c1"))!.lastSeq).toBe(5);
      const events = await store.listEvents("c1", 3);
      expect(events).toEqual([4, 5].map((n) => ({ ...message(`m${n}`, `client-${n}`), conversationId: "c1", seq: n, at: at(n).toISOString() })));
      expect((await store.listEvents("c1", 0, 2)).map((event) => event.seq)).toEqual([1, 2]);
      await expect(store.appendEvent("nope", message("lost"), at(1))).rejects.toMatchObject({ code: "NOT_FOUND" });
    });

    it("changes state and owner only by compare-and-set, recording hand-offs and actions", async () => {
      await create("c1");
      await store.appendEvent("c1", message("Is it dishwasher safe?", "q1"), at(1));
      await store.appendEvent("c1", { type: "state-changed", state: "waiting", reason: "low-confidence", by: null }, at(2), { expectedStates: ["bot"], handoff });
      await expect(store.appendEvent("c1", { type: "answer-start", answerId: "a1", replyTo: 1 }, at(3), { expectedStates: ["bot"] })).rejects.toMatchObject({ code: "CONFLICT" });
      const takeOver = { expectedStates: ["waiting", "bot"] as const, assign: { id: "agent-1", name: "Mei" }, action: { agentId: "agent-1", agentName: "Mei", action: "take-over" } };
      await store.appendEvent("c1", { type: "state-changed", state: "agent", reason: "take-over", by: "Mei" }, at(4), { ...takeOver, expectedStates: [...takeOver.expectedStates] });
      await expect(
        store.appendEvent("c1", { type: "state-changed", state: "agent", reason: "take-over", by: "Li" }, at(5), { expectedStates: ["waiting", "bot"], assign: { id: "agent-2", name: "Li" } }),
      ).rejects.toMatchObject({ code: "CONFLICT", details: { state: "agent", owner: "Mei" } });
      await expect(store.appendEvent("c1", message("I can help", null, "agent"), at(6), { expectedAgentId: "agent-2" })).rejects.toMatchObject({ code: "FORBIDDEN", details: { owner: "Mei" } });
      const reply = await store.appendEvent("c1", message("I can help", null, "agent"), at(7), { expectedAgentId: "agent-1" });
      expect(reply.event.seq).toBe(4);
      expect((await store.listEvents("c1", 0)).map((event) => event.seq)).toEqual([1, 2, 3, 4]);
      const summary = await store.getSummary("c1");
      expect(summary).toMatchObject({
        id: "c1", state: "agent", assignedAgent: { id: "agent-1", name: "Mei" }, lastMessage: "I can help", lastMessageAt: at(7).toISOString(), contactLeft: false, waitingSince: null,
        handoff: { reason: "low-confidence", question: "Is it dishwasher safe?", confidence: handoff.confidence, passages: [], draft: null, at: at(2).toISOString() },
      });
      expect(await store.listActions("c1")).toEqual([{ conversationId: "c1", agentId: "agent-1", agentName: "Mei", action: "take-over", at: at(4).toISOString() }]);
      expect(await store.listHandoffQuestions(["low-confidence"], 10)).toEqual([{ conversationId: "c1", question: "Is it dishwasher safe?", reason: "low-confidence", at: at(2).toISOString() }]);
      expect(await store.listHandoffQuestions(["asked-for-person"], 10)).toEqual([]);
    });

    it("lists conversations waiting first (longest waiting first), then by activity, with filters and search", async () => {
      for (const [index, id] of ["c1", "c2", "c3", "c4"].entries()) await create(id, index);
      await store.appendEvent("c1", message("Where is my 100% cotton order_7?"), at(10));
      await store.appendEvent("c2", { type: "state-changed", state: "waiting", reason: "low-confidence", by: null }, at(12), { handoff });
      await store.appendEvent("c3", { type: "state-changed", state: "waiting", reason: "low-confidence", by: null }, at(11), { handoff });
      await store.appendEvent("c4", { type: "contact", name: "Wang", email: "w@x.test", phone: null, message: null }, at(13));
      expect((await store.listConversations({ limit: 10 })).map((summary) => summary.id)).toEqual(["c3", "c2", "c4", "c1"]);
      expect((await store.listConversations({ limit: 1 })).map((summary) => summary.id)).toEqual(["c3"]);
      expect((await store.listConversations({ states: ["bot"], limit: 10 })).map((summary) => summary.id)).toEqual(["c4", "c1"]);
      expect((await store.listConversations({ search: "100% COTTON order_7", limit: 10 })).map((summary) => summary.id)).toEqual(["c1"]);
      expect((await store.listConversations({ search: "_", limit: 10 })).map((summary) => summary.id)).toEqual(["c1"]);
      expect((await store.listConversations({ assignedTo: "agent-1", limit: 10 }))).toEqual([]);
      expect(await store.getSummary("c4")).toMatchObject({ contactLeft: true, handoff: null });
      expect(await store.getSummary("c2")).toMatchObject({ state: "waiting", waitingSince: at(12).toISOString() });
      expect(await store.getSummary("nope")).toBeNull();
    });

    it("lists the replies the bot still owes: an unanswered shopper message, an answer cut off mid-stream in any state", async () => {
      for (const id of ["c1", "c2", "c3", "c4", "c5", "c6"]) await create(id);
      // Two messages queued behind each other, neither answered yet; the one before the bot took over again is not owed.
      await store.appendEvent("c6", message("before a person took it"), at(1));
      await store.appendEvent("c6", { type: "state-changed", state: "agent", reason: "take-over", by: "Mei" }, at(2));
      await store.appendEvent("c6", { type: "state-changed", state: "bot", reason: "hand-back", by: "Mei" }, at(3));
      await store.appendEvent("c6", message("first"), at(4));
      await store.appendEvent("c6", message("second"), at(5));
      await store.appendEvent("c5", message("cut off, then handed off"), at(1));
      await store.appendEvent("c5", { type: "answer-start", answerId: "a5", replyTo: 1 }, at(2));
      await store.appendEvent("c5", { type: "state-changed", state: "waiting", reason: "asked-for-person", by: null }, at(3));
      await store.appendEvent("c1", message("unanswered"), at(1));
      await store.appendEvent("c2", message("cut off"), at(1));
      await store.appendEvent("c2", { type: "answer-start", answerId: "a2", replyTo: 1 }, at(2));
      await store.appendEvent("c3", message("answered"), at(1));
      await store.appendEvent("c3", { type: "answer-start", answerId: "a3", replyTo: 1 }, at(2));
      await store.appendEvent("c3", { type: "answer-end", answerId: "a3", status: "complete", text: "Yes.", citations: [], confidence: null, knowledgeVersion: 1 }, at(3));
      await store.appendEvent("c4", message("handed off"), at(1));
      await store.appendEvent("c4", { type: "state-changed", state: "waiting", reason: "asked-for-person", by: null }, at(2));
      const pending = await store.listPendingReplies();
      expect(pending.map((event) => [event.conversationId, event.type]).sort()).toEqual([["c1", "message"], ["c2", "answer-start"], ["c5", "answer-start"], ["c6", "message"], ["c6", "message"]]);
      expect(pending.filter((event) => event.conversationId === "c6").map((event) => event.type === "message" && event.text)).toEqual(["first", "second"]);
      // Only messages of conversations active since a time (a sweep); open answers always.
      const recent = await store.listPendingReplies(at(4));
      expect(recent.map((event) => [event.conversationId, event.seq]).sort()).toEqual([["c2", 2], ["c5", 2], ["c6", 4], ["c6", 5]]);
      expect(await store.listAnsweredQuestions(10)).toEqual([{ question: "answered", productId: "p-1" }]);
      // A conversation's open answer, for the holder of its turn to close.
      expect(await store.getOpenAnswer("c2")).toMatchObject({ conversationId: "c2", seq: 2, type: "answer-start", answerId: "a2", replyTo: 1 });
      expect(await store.getOpenAnswer("c3")).toBeNull();
      expect(await store.getOpenAnswer("c1")).toBeNull();
      expect(await store.getOpenAnswer("missing")).toBeNull();
    });

    it("closes an answer started while the model thought and ended with no text by a verdict that hands off: nothing open, owed or answered", async () => {
      await create("c1");
      await store.appendEvent("c1", message("Can I pay with cryptocurrency?", "m1"), at(1));
      await store.appendEvent("c1", { type: "answer-start", answerId: "a1", replyTo: 1 }, at(2));
      expect(await store.getOpenAnswer("c1")).toMatchObject({ answerId: "a1", seq: 2 });
      await store.appendEvent("c1", { type: "answer-end", answerId: "a1", status: "stopped", text: "", citations: [], confidence: null, knowledgeVersion: 1 }, at(3));
      await store.appendEvent("c1", { type: "state-changed", state: "waiting", reason: "low-confidence", by: null }, at(4), { expectedStates: ["bot"], handoff });
      expect(await store.getOpenAnswer("c1")).toBeNull();
      expect(await store.listPendingReplies()).toEqual([]);
      expect(await store.listAnsweredQuestions(10)).toEqual([]);
      expect((await store.listEvents("c1", 0)).map((event) => [event.seq, event.type])).toEqual([[1, "message"], [2, "answer-start"], [3, "answer-end"], [4, "state-changed"]]);
      // The summary's last message is the question, never the empty answer.
      expect(await store.getSummary("c1")).toMatchObject({ state: "waiting", lastMessage: "Can I pay with cryptocurrency?" });
    });

    it("keeps notes, and ratings of finished answers of the same conversation only", async () => {
      await create("c1");
      await create("c2");
      await store.appendEvent("c1", message("hi"), at(1));
      await store.appendEvent("c1", { type: "answer-start", answerId: "a1", replyTo: 1 }, at(2));
      expect(await store.rateAnswer("c1", "a1", "up", at(3))).toBeNull();
      await store.appendEvent("c1", { type: "answer-end", answerId: "a1", status: "complete", text: "Hello.", citations: [], confidence: null, knowledgeVersion: 1 }, at(3));
      expect(await store.rateAnswer("c2", "a1", "up", at(4))).toBeNull();
      expect(await store.rateAnswer("c1", "a1", "up", at(4))).toEqual({ answerId: "a1", rating: "up", at: at(4).toISOString() });
      expect(await store.rateAnswer("c1", "a1", "down", at(5))).toEqual({ answerId: "a1", rating: "down", at: at(5).toISOString() });
      expect(await store.listFeedback("c1")).toEqual([{ answerId: "a1", rating: "down", at: at(5).toISOString() }]);
      const note = { id: "n1", conversationId: "c1", agentId: "agent-1", agentName: "Mei", text: "VIP", at: at(6).toISOString() };
      await store.addNote(note);
      expect(await store.listNotes("c1")).toEqual([note]);
      expect(await store.listActions("c1")).toEqual([{ conversationId: "c1", agentId: "agent-1", agentName: "Mei", action: "note", at: at(6).toISOString() }]);
    });
  });
}
