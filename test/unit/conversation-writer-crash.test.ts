import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteConversationStore } from "../../src/conversations/sqlite-conversation-store.ts";

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
