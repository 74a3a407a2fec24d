import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ConversationStore } from "../../src/conversations/conversation-store.ts";
import { SqliteConversationStore } from "../../src/conversations/sqlite-conversation-store.ts";
import { Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

let server: TestApp | undefined;
let folder: string | undefined;
const shoppers: Shopper[] = [];

afterEach(async () => {
  for (const shopper of shoppers.splice(0)) shopper.close();
  await server?.close();
  server = undefined;
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** The real SQLite store, counting the context writes (each one a commit). */
async function countingStore() {
  folder = await mkdtemp(join(tmpdir(), "kefu-resume-"));
  const store = new SqliteConversationStore(join(folder, "kefu.db"), { synchronous: "normal" });
  const writes = { context: 0 };
  const counted = new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== "function") return value;
      if (property === "updateContext") writes.context += 1;
      return value.bind(target);
    },
  });
  return { store: counted as ConversationStore, raw: store, writes };
}

describe("a resume telling its page and language", () => {
  it("writes nothing when they are what the conversation holds, and stores them when they changed", async () => {
    const { store, raw, writes } = await countingStore();
    server = await startTestApp({ overrides: { conversationStore: store } });
    const first = new Shopper(server.url);
    shoppers.push(first);
    const started = await first.start({ productId: "T-HEADPHONE-2", locale: "en" });
    if (!started.ok) throw new Error(started.error.message);
    const id = started.data.conversationId;
    const token = started.data.resumeToken;

    // A widget on the same page again (a reload, a reconnect after a restart): same page, same language.
    for (const payload of [{ productId: "T-HEADPHONE-2", locale: "en" as const }, {}, { locale: "en" as const }]) {
      const again = new Shopper(server.url);
      shoppers.push(again);
      again.resumeToken = token;
      expect((await again.start(payload)).ok).toBe(true);
    }
    expect(writes.context).toBe(0);

    // Another page, then no page, then another language: each is stored, and the reply carries it.
    const moved = new Shopper(server.url);
    shoppers.push(moved);
    moved.resumeToken = token;
    expect((await moved.start({ productId: "T-LAMP-1", locale: "en" })).ok).toBe(true);
    expect(await raw.getConversation(id)).toMatchObject({ productId: "T-LAMP-1", locale: "en" });
    expect((await moved.start({ productId: null })).ok).toBe(true);
    expect(await raw.getConversation(id)).toMatchObject({ productId: null, locale: "en" });
    expect((await moved.start({ locale: "zh" })).ok).toBe(true);
    expect(await raw.getConversation(id)).toMatchObject({ productId: null, locale: "zh" });
    expect(writes.context).toBe(3);
  });
});
