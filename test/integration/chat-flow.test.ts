import { afterEach, describe, expect, it } from "vitest";
import { connected, Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

let server: TestApp;
const shoppers: Shopper[] = [];
const shopper = (url = server.url, options?: ConstructorParameters<typeof Shopper>[1]) => {
  const client = new Shopper(url, options);
  shoppers.push(client);
  return client;
};

afterEach(async () => {
  for (const client of shoppers.splice(0)) client.close();
  await server?.close();
});

describe("a shopper conversation over /chat", () => {
  it("answers an English question with a cited answer, whole at once: its start and end the only durable events", async () => {
    server = await startTestApp();
    const client = shopper();
    const started = await client.start({ locale: "en" });
    expect(started.ok).toBe(true);
    const sent = await client.send("How long does delivery take?");
    expect(sent).toEqual({ ok: true, data: { seq: 1, duplicate: false } });
    const end = await client.answerTo(1);
    expect(end.status).toBe("complete");
    expect(end.text).toContain("2 to 4 days");
    expect(end.citations[0]).toMatchObject({ documentId: "faq:shipping:en", url: "/help/shipping" });
    expect(end.knowledgeVersion).toBeGreaterThan(0);
    // The offline answer is known whole before anything is shown: nothing streams (a model's answer
    // does, see live-answers), and its end carries the text.
    expect(client.deltas.filter((delta) => delta.answerId === end.answerId)).toEqual([]);
    expect(client.timeline.map((event) => event.type)).toEqual(["message", "answer-start", "answer-end"]);
    const seqs = client.timeline.map((event) => event.seq);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
  });

  it("answers a Chinese question from Chinese passages, boosted by the product page", async () => {
    server = await startTestApp();
    const client = shopper();
    await client.start({ productId: "T-HEADPHONE-2", locale: "zh" });
    await client.send("续航多久？");
    const end = await client.answerTo(1);
    expect(end.text).toContain("40 小时");
    expect(end.citations[0]).toMatchObject({ productId: "T-HEADPHONE-2", documentId: "product:T-HEADPHONE-2:zh" });
  });

  it("never stores a retried message twice", async () => {
    server = await startTestApp();
    const client = shopper();
    await client.start();
    const first = await client.send("Is shipping free?", "client-1");
    const again = await client.send("Is shipping free?", "client-1");
    expect(first).toEqual({ ok: true, data: { seq: 1, duplicate: false } });
    expect(again).toEqual({ ok: true, data: { seq: 1, duplicate: true } });
    await client.answerTo(1);
    const messages = client.timeline.filter((event) => event.type === "message");
    expect(messages).toHaveLength(1);
    expect(client.timeline.filter((event) => event.type === "answer-start")).toHaveLength(1);
  });

  it("replays exactly the missed events to a client that reconnects with its last seq", async () => {
    server = await startTestApp();
    const first = shopper();
    await first.start();
    await first.send("Is shipping free?");
    await first.answerTo(1);
    const seenBefore = first.lastSeq;
    first.close();

    // While the first client is away, the same shopper asks from a second tab.
    const other = shopper();
    await other.start({ resumeToken: first.resumeToken! });
    await other.send("How long does delivery take?");
    const end = await other.answerTo(other.timeline.find((event) => event.type === "message" && event.text.startsWith("How long"))!.seq);

    const back = shopper();
    back.resumeToken = first.resumeToken;
    const resumed = await back.start({ lastSeq: seenBefore });
    expect(resumed.ok).toBe(true);
    if (!resumed.ok) return;
    expect(resumed.data.events[0]!.seq).toBe(seenBefore + 1);
    expect(resumed.data.events.at(-1)!.seq).toBe(end.seq);
    expect(resumed.data.events.map((event) => event.seq)).toEqual(
      Array.from({ length: end.seq - seenBefore }, (_, index) => seenBefore + 1 + index),
    );
  });

  it("keeps the whole history across a restart on the same data folder", async () => {
    server = await startTestApp();
    const client = shopper();
    await client.start();
    await client.send("Is shipping free?");
    await client.answerTo(1);
    const before = client.timeline;
    client.close();

    server = await server.restart();
    const again = shopper();
    again.resumeToken = client.resumeToken;
    const resumed = await again.start({ lastSeq: 0 });
    expect(resumed.ok && resumed.data.events).toEqual(before);
    const next = await again.send("How long does delivery take?");
    expect(next.ok && next.data.seq).toBe(before.at(-1)!.seq + 1);
    await again.answerTo(before.at(-1)!.seq + 1);
  });

  it("refuses a resume token it did not issue", async () => {
    server = await startTestApp();
    const owner = shopper();
    await owner.start();
    await owner.send("Is shipping free?");
    const stranger = shopper();
    const response = await stranger.start({ resumeToken: "x".repeat(43) });
    expect(response).toMatchObject({ ok: false, error: { code: "UNAUTHORIZED" } });
    const sent = await stranger.send("hello");
    expect(sent).toMatchObject({ ok: false, error: { code: "INVALID_STATE" } });
  });

  it("answers malformed and oversized payloads with error acks and keeps serving", async () => {
    server = await startTestApp({ env: { MAX_MESSAGE_CHARS: "100", MAX_PAYLOAD_BYTES: "4096" } });
    const client = shopper();
    await client.start();
    const socket = client.socket as unknown as { timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> } };
    expect(await socket.timeout(5000).emitWithAck("message-send", { text: 42 })).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    expect(await socket.timeout(5000).emitWithAck("message-send", "just a string")).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    expect(await socket.timeout(5000).emitWithAck("message-send")).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    expect(await socket.timeout(5000).emitWithAck("conversation-start", { resumeToken: 7, evil: true })).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    expect(await client.send("a".repeat(101))).toMatchObject({ ok: false, error: { code: "PAYLOAD_TOO_LARGE" } });
    expect(await client.send("   ")).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    // Events with no ack at all, and unknown events, do nothing harmful.
    const raw = client.socket as unknown as { emit(event: string, ...args: unknown[]): void };
    raw.emit("typing", { isTyping: "yes" });
    raw.emit("no-such-event", { a: 1 });
    // The same connection still works.
    expect(client.socket.connected).toBe(true);
    expect(await client.send("Is shipping free?")).toMatchObject({ ok: true, data: { seq: 1 } });

    // A frame over the payload limit closes only that socket.
    const flooder = shopper();
    await flooder.start();
    const closed = new Promise<string>((resolve) => flooder.socket.once("disconnect", (reason) => resolve(reason)));
    flooder.socket.emit("message-send", { clientId: "big", text: "z".repeat(10_000) }, () => undefined);
    expect(await closed).toBe("transport close");
    const after = shopper();
    expect((await after.start()).ok).toBe(true);
    await client.answerTo(1);
  });

  it("limits messages per conversation per minute", async () => {
    server = await startTestApp({ env: { MESSAGES_PER_MINUTE: "3" } });
    const client = shopper();
    await client.start();
    const results = [];
    for (let index = 0; index < 5; index += 1) results.push(await client.send(`question ${index}`));
    expect(results.slice(0, 3).every((result) => result.ok)).toBe(true);
    expect(results[3]).toMatchObject({ ok: false, error: { code: "RATE_LIMITED", details: { limit: "messages-per-conversation" } } });
    // Nothing refused was stored, and another conversation (from the same address) goes on.
    const stored = (await server.app.agentDesk.detail(client.conversationId!)).events.filter((event) => event.type === "message" && event.author === "shopper");
    expect(stored.map((event) => event.type === "message" && event.text)).toEqual(["question 0", "question 1", "question 2"]);
    const other = shopper();
    await other.start();
    expect((await other.send("question elsewhere")).ok).toBe(true);
  });

  it("accepts its own origin and listed origins, and refuses others", async () => {
    server = await startTestApp({ env: { ALLOWED_ORIGINS: "https://shop.example.com" } });
    const own = new URL(server.url).origin;
    for (const origin of [own, "https://shop.example.com"]) {
      const client = shopper(server.url, { extraHeaders: { origin } });
      await connected(client);
    }
    const foreign = shopper(server.url, { extraHeaders: { origin: "https://evil.example.net" } });
    await expect(connected(foreign)).rejects.toThrow();
  });

  it("pushes typing from the bot and sends no events of one conversation to another", async () => {
    server = await startTestApp();
    const one = shopper();
    const two = shopper();
    await one.start();
    await two.start();
    const typing = new Promise((resolve) => one.socket.once("typing", resolve));
    await one.send("Is shipping free?");
    expect(await typing).toMatchObject({ author: "bot", isTyping: true });
    await one.answerTo(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(two.timeline).toHaveLength(0);
  });
});
