import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ConversationStore } from "../../src/conversations/conversation-store.ts";
import { SqliteConversationStore } from "../../src/conversations/sqlite-conversation-store.ts";
import { AgentClient } from "../support/agent-client.ts";
import { Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

const ADMIN = { email: "admin@pinebrook.test", password: "correct horse battery" };
const EVENTS = 1_000;
let server: TestApp | undefined;
const closers: { close(): void }[] = [];
let folder: string | undefined;

afterEach(async () => {
  for (const client of closers.splice(0)) client.close();
  await server?.close();
  server = undefined;
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** The real SQLite store, with a count of the history rows read and summaries built (what the agent side costs). */
async function countingStore() {
  folder = await mkdtemp(join(tmpdir(), "kefu-feed-"));
  const store = new SqliteConversationStore(join(folder, "kefu.db"), { synchronous: "normal" });
  const reads = { historyRows: 0, summaries: 0 };
  const counted = new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== "function") return value;
      if (property === "listEvents") {
        return async (...args: Parameters<ConversationStore["listEvents"]>) => {
          const rows = await target.listEvents(...args);
          reads.historyRows += rows.length;
          return rows;
        };
      }
      if (property === "getSummary") reads.summaries += 1;
      return value.bind(target);
    },
  });
  return { store: counted as ConversationStore, reads };
}

describe("the agent side follows a conversation by its new events", () => {
  it(`costs the same per event at the ${EVENTS}th contact or message as at the first: no history read, one row per summary`, async () => {
    const { store, reads } = await countingStore();
    server = await startTestApp({ overrides: { conversationStore: store }, env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, MESSAGES_PER_MINUTE: "100000", MESSAGES_PER_IP_PER_MINUTE: "100000", EVENTS_PER_IP_PER_MINUTE: "100000", CONTACTS_PER_CONVERSATION_PER_HOUR: "100000" } });
    const agent = await AgentClient.connect(server.url, ADMIN.email, ADMIN.password);
    closers.push(agent);
    const shopper = new Shopper(server.url);
    closers.push(shopper);
    await shopper.start({ locale: "en" });
    // A person owns the conversation, so the bot stays silent and every event is the shopper's own.
    await shopper.send("I want to talk to a human");
    await shopper.waitFor((event) => event.type === "notice");
    const conversationId = shopper.conversationId!;
    expect(await agent.emit("conversation-take-over", { conversationId })).toMatchObject({ ok: true });
    const watched = await agent.emit("conversation-watch", { conversationId });
    expect(watched.ok).toBe(true);
    let eventsSeen = 0;
    let summariesSeen = 0;
    agent.socket.on("conversation-event", () => (eventsSeen += 1));
    agent.socket.on("conversation-updated", () => (summariesSeen += 1));
    const heapBefore = process.memoryUsage().heapUsed;
    const before = { ...reads };
    const lastSeqBefore = shopper.lastSeq;

    for (let index = 0; index < EVENTS / 2; index += 1) {
      const contact = await shopper.socket.timeout(10_000).emitWithAck("contact-leave", { email: `shopper${index}@example.com`, message: "x".repeat(1_900) });
      expect(contact.ok).toBe(true);
      expect((await shopper.send(`message ${index} ${"y".repeat(1_900)}`)).ok).toBe(true);
    }
    await shopper.waitFor((event) => event.type === "message" && event.text.startsWith(`message ${EVENTS / 2 - 1} `));
    const added = shopper.lastSeq - lastSeqBefore;
    expect(added).toBe(EVENTS * 1.5); // each contact is two events (the contact and its notice)
    await expect.poll(() => eventsSeen, { timeout: 10_000 }).toBe(added);
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Nothing re-read the history: summaries are one row each, at most one per event.
    expect(reads.historyRows - before.historyRows).toBe(0);
    expect(reads.summaries - before.summaries).toBeLessThanOrEqual(added);
    expect(summariesSeen).toBeGreaterThan(0);
    const summary = await agent.emit("conversation-list", { filter: "agent" });
    expect(summary.ok && summary.data[0]).toMatchObject({ id: conversationId, contactLeft: true, lastMessage: expect.stringMatching(new RegExp(`^message ${EVENTS / 2 - 1} `)) });
    // About 3 MB of text went through; the server's heap stays in proportion, not the square of it.
    const grown = process.memoryUsage().heapUsed - heapBefore;
    expect(grown).toBeLessThan(200 * 1024 * 1024);
    // A re-watch after a reconnect sends only what is new.
    const rewatch = await agent.emit("conversation-watch", { conversationId, afterSeq: shopper.lastSeq - 2 });
    expect(rewatch.ok && rewatch.data.events.map((event) => event.seq)).toEqual([shopper.lastSeq - 1, shopper.lastSeq]);
  });
});
