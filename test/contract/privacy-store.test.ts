import { join } from "node:path";
import { expect, it } from "vitest";
import type { ConversationStore } from "../../src/conversations/conversation-store.ts";
import { PgConversationStore } from "../../src/conversations/pg-conversation-store.ts";
import { SqliteConversationStore } from "../../src/conversations/sqlite-conversation-store.ts";
import { PgPrivacyStore } from "../../src/privacy/pg-privacy-store.ts";
import type { PrivacyStore } from "../../src/privacy/privacy-store.ts";
import { SqlitePrivacyStore } from "../../src/privacy/sqlite-privacy-store.ts";
import { describeContract, storeBackends } from "../support/store-backends.ts";

type Stores = { conversations: ConversationStore; privacy: PrivacyStore; close(): Promise<void> };

const backends = storeBackends<Stores>({
  sqlite: (dir) => {
    const conversations = new SqliteConversationStore(join(dir, "kefu.db"), { synchronous: "normal" });
    const privacy = new SqlitePrivacyStore({ conversations: join(dir, "kefu.db"), log: join(dir, "privacy.db") }, { synchronous: "normal" });
    return { conversations, privacy, close: async () => (await privacy.close(), await conversations.close()) };
  },
  postgres: (database) => {
    const conversations = new PgConversationStore(database);
    const privacy = new PgPrivacyStore(database);
    return { conversations, privacy, close: async () => (await privacy.close(), await conversations.close()) };
  },
});

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

describeContract("PrivacyStore", backends, (opened) => {

  async function conversation(id: string, minute: number) {
    await opened.store.conversations.createConversation({ id, tokenHash: `hash-${id}`, productId: null, locale: "en", now: at(minute) });
    return id;
  }

  it("finds a shopper's conversations by the email they left or wrote, exports them whole, and deletes them whole", async () => {
    const { conversations, privacy } = opened.store;
    const wrote = await conversation("c-wrote", 0);
    const left = await conversation("c-left", 1);
    const other = await conversation("c-other", 2);
    await conversations.appendEvent(wrote, { type: "message", author: "shopper", text: "I am Li.Wei@Example.com, where is my order?", clientId: "m1", authorName: null }, at(3));
    await conversations.appendEvent(left, { type: "contact", name: "Li", email: "li.wei@example.com", phone: null, message: "call me" }, at(4));
    await conversations.appendEvent(other, { type: "message", author: "shopper", text: "liXwei@example.com is not me (a _ or % is not a wildcard)", clientId: "m2", authorName: null }, at(5));
    await conversations.addNote({ id: "n1", conversationId: wrote, agentId: "a1", agentName: "Mei", text: "Asked about an order.", at: at(6).toISOString() });

    expect((await privacy.conversationsByEmail("LI.WEI@example.com")).sort()).toEqual([left, wrote]);
    expect(await privacy.conversationsByEmail("li_wei@example.com")).toEqual([]);
    expect(await privacy.existing([other, "nope", wrote])).toEqual([other, wrote]);

    const [exported] = await privacy.exportConversations([wrote, "nope"]);
    expect(exported!.conversation).toMatchObject({ id: wrote, state: "bot", locale: "en" });
    expect(exported!.events).toHaveLength(1);
    expect(exported!.events[0]).toMatchObject({ seq: 1, type: "message", at: at(3).toISOString() });
    expect(JSON.stringify(exported!.events[0]!.body)).toContain("Li.Wei@Example.com");
    expect(exported!.notes).toEqual([{ agent_name: "Mei", text: "Asked about an order.", at: at(6).toISOString() }]);
    expect(exported!.handoffs).toEqual([]);

    expect(await privacy.deleteConversations([wrote, left, "nope"])).toBe(2);
    expect(await privacy.existing([wrote, left, other])).toEqual([other]);
    expect(await conversations.getConversation(wrote)).toBeNull();
    expect(await privacy.conversationsByEmail("li.wei@example.com")).toEqual([]);
    expect(await privacy.exportConversations([wrote])).toEqual([]);
  });

  it("lists conversations inactive since a time, and keeps a log of deletions newest first", async () => {
    const { privacy } = opened.store;
    await conversation("old", 0);
    await conversation("new", 30);
    expect(await privacy.inactiveSince(at(10).toISOString(), 10)).toEqual(["old"]);
    expect((await privacy.inactiveSince(at(60).toISOString(), 10)).sort()).toEqual(["new", "old"]);
    expect(await privacy.inactiveSince(at(60).toISOString(), 1)).toHaveLength(1);

    const first = { id: "d1", at: at(1).toISOString(), by: "admin@shop.test", reason: "request" as const, conversations: 1, conversationIds: ["old"] };
    const second = { id: "d2", at: at(2).toISOString(), by: "retention", reason: "retention" as const, conversations: 2, conversationIds: ["a", "b"] };
    await privacy.recordDeletion(first);
    await privacy.recordDeletion(second);
    expect(await privacy.listDeletions(10)).toEqual([second, first]);
    expect(await privacy.listDeletions(1)).toEqual([second]);
  });
});
