import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { hashToken } from "../../src/tokens.ts";
import { SqliteConversationStore } from "../../src/conversations/sqlite-conversation-store.ts";
import { AgentClient } from "../support/agent-client.ts";
import { FakeLlmServer } from "../support/fake-llm-server.ts";
import { Shopper } from "../support/shopper.ts";
import { startServerNode, type ServerNode } from "../support/server-process.ts";
import { FIXTURE_KNOWLEDGE, startTestApp, type TestApp } from "../support/start-test-app.ts";

const ADMIN = { email: "admin@pinebrook.test", password: "correct horse battery" };
const LONG_ANSWER = `${"Orders placed before 4 pm ship the same day, and delivery takes 2 to 4 days. ".repeat(6)}[1]`;

let server: TestApp | undefined;
let llm: FakeLlmServer | undefined;
const closers: { close(): void }[] = [];
const track = <T extends { close(): void }>(client: T) => (closers.push(client), client);
const folders: string[] = [];

const nodes: ServerNode[] = [];

afterEach(async () => {
  for (const client of closers.splice(0)) client.close();
  for (const node of nodes.splice(0)) await node.kill();
  await server?.close();
  server = undefined;
  await llm?.close();
  llm = undefined;
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function slowAnswerServer() {
  llm = await FakeLlmServer.start();
  llm.enqueue({ reply: `VERDICT: ANSWERED\n${LONG_ANSWER}`, chunkSize: 6, tokenMs: 25 });
  server = await startTestApp({ env: { LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: "k", LLM_TIMEOUT_SECONDS: "20", ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } });
  return server;
}

describe("answers stream live; only their start and end are durable", () => {
  it("stores two events per answer however long it is, and a widget that reconnects mid-answer gets the whole text so far, then the rest", async () => {
    const app = await slowAnswerServer();
    const first = track(new Shopper(app.url));
    await first.start({ locale: "en" });
    await first.send("How long does delivery take?");
    await first.waitFor((event) => event.type === "answer-start");
    await vi.waitFor(() => expect(first.deltas.length).toBeGreaterThan(5), { timeout: 10_000 });

    // The same shopper on a new page, mid-answer, having seen everything up to the answer's start.
    const second = track(new Shopper(app.url));
    second.resumeToken = first.resumeToken;
    const resumed = await second.start({ lastSeq: first.lastSeq });
    expect(resumed.ok).toBe(true);
    if (!resumed.ok) return;
    expect(resumed.data.events).toEqual([]);
    const [streaming] = resumed.data.streaming;
    expect(streaming!.text.length).toBeGreaterThan(0);

    const end = (await second.waitFor((event) => event.type === "answer-end")) as Awaited<ReturnType<Shopper["answerTo"]>>;
    expect(end.status).toBe("complete");
    expect(end.text).toBe(LONG_ANSWER);
    expect(LONG_ANSWER.startsWith(streaming!.text)).toBe(true);
    expect(streaming!.text.length).toBeLessThan(LONG_ANSWER.length);
    // Snapshot and live pieces joined by offset: the whole answer, nothing missing or twice.
    expect(second.live.texts.get(end.answerId)).toBe(LONG_ANSWER);
    expect(first.live.texts.get(end.answerId)).toBe(LONG_ANSWER);
    expect(second.deltas[0]!.offset).toBeLessThanOrEqual(streaming!.text.length);

    const stored = await app.app.agentDesk.detail(first.conversationId!);
    expect(stored.events.map((event) => event.type)).toEqual(["message", "answer-start", "answer-end"]);
    expect(stored.events.map((event) => event.seq)).toEqual([1, 2, 3]);
    // Many live pieces (how many depends on how the stream is cut), and still only two durable events.
    expect(first.deltas.length).toBeGreaterThan(20);
  });

  it("sends a watching agent the live text, and after a reconnect only what came after the seq it had", async () => {
    const app = await slowAnswerServer();
    const shopper = track(new Shopper(app.url));
    await shopper.start({ locale: "en" });
    const agent = track(await AgentClient.connect(app.url, ADMIN.email, ADMIN.password));
    const watched = await agent.emit("conversation-watch", { conversationId: shopper.conversationId! });
    expect(watched).toMatchObject({ ok: true, data: { events: [], streaming: [] } });
    const firstDelta = agent.next("answer-delta");
    await shopper.send("How long does delivery take?");
    expect(await firstDelta).toMatchObject({ conversationId: shopper.conversationId, offset: 0 });

    const again = track(await AgentClient.connect(app.url, ADMIN.email, ADMIN.password));
    await vi.waitFor(() => expect(shopper.deltas.length).toBeGreaterThan(3), { timeout: 10_000 });
    const rewatched = await again.emit("conversation-watch", { conversationId: shopper.conversationId!, afterSeq: 1 });
    expect(rewatched.ok).toBe(true);
    if (!rewatched.ok) return;
    expect(rewatched.data.events.map((event) => event.type)).toEqual(["answer-start"]);
    expect(rewatched.data.streaming[0]!.text.length).toBeGreaterThan(0);
    await shopper.answerTo(1);
    expect(await again.emit("conversation-watch", { conversationId: shopper.conversationId!, afterSeq: 99 })).toMatchObject({ ok: true, data: { events: [] } });
    expect(await again.emit("conversation-watch", { conversationId: shopper.conversationId!, afterSeq: -1 })).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
  });

  it("closes an answer a crash cut off as interrupted, answers the question again, and keeps seq gapless", async () => {
    // What the data folder holds after the process died mid-answer: a question and an answer that started.
    const root = await mkdtemp(join(tmpdir(), "kefu-crash-"));
    folders.push(root);
    const dataDir = join(root, "data");
    const store = new SqliteConversationStore(join(dataDir, "kefu.db"), { synchronous: "normal" });
    const token = "t".repeat(43);
    const conversation = await store.createConversation({ id: crypto.randomUUID(), tokenHash: hashToken(token), productId: null, locale: "en", now: new Date() });
    await store.appendEvent(conversation.id, { type: "message", author: "shopper", text: "How long does delivery take?", clientId: "c1", authorName: null }, new Date());
    const { event: cut } = await store.appendEvent(conversation.id, { type: "answer-start", answerId: "cut-answer", replyTo: 1 }, new Date());
    await store.close();

    server = await startTestApp({ dataDir });
    const shopper = track(new Shopper(server.url));
    shopper.resumeToken = token;
    await shopper.start({ lastSeq: 0 });
    const interrupted = await shopper.waitFor((event) => event.type === "answer-end" && event.answerId === "cut-answer");
    expect(interrupted).toMatchObject({ status: "interrupted", seq: cut.seq + 1 });
    const starts = async () => (await shopper.waitFor((event) => event.type === "answer-start" && event.answerId !== "cut-answer")) as { answerId: string };
    const { answerId } = await starts();
    const end = await shopper.waitFor((event) => event.type === "answer-end" && event.answerId === answerId);
    expect(end).toMatchObject({ status: "complete" });
    expect((end as { text: string }).text).toContain("2 to 4 days");
    const seqs = shopper.timeline.map((event) => event.seq);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
    expect(await server.app.service.bot.recover()).toBe(0);
  });

  it("after a kill -9 while the model thought, closes the answer started ahead as interrupted, with no text, and answers again", async () => {
    const root = await mkdtemp(join(tmpdir(), "kefu-crash-"));
    folders.push(root);
    const knowledgeDir = join(root, "knowledge");
    await cp(FIXTURE_KNOWLEDGE, knowledgeDir, { recursive: true });
    llm = await FakeLlmServer.start();
    // The first server's model never starts answering; the next one's does at once.
    llm.enqueue({ reply: "A\nIt ships the same day [1].", firstTokenMs: 60_000 });
    const env = { DATA_DIR: join(root, "data"), KNOWLEDGE_DIR: knowledgeDir, LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: "k", LLM_TIMEOUT_SECONDS: "60" };
    const first = await startServerNode(env);
    nodes.push(first);
    const shopper = track(new Shopper(first.url));
    await shopper.start({ locale: "en" });
    await shopper.send("How long does delivery take?");
    const cut = (await shopper.waitFor((event) => event.type === "answer-start")) as { answerId: string; seq: number };
    await vi.waitFor(() => expect(llm!.requests).toHaveLength(1), { timeout: 10_000 });
    await first.kill();
    expect(shopper.deltas).toEqual([]);

    llm.respondWith(() => ({ reply: "A\nOrders ship the same day and arrive in 2 to 4 days [1]." }));
    const second = await startServerNode(env);
    nodes.push(second);
    const resumed = track(new Shopper(second.url));
    resumed.resumeToken = shopper.resumeToken;
    await resumed.start({ lastSeq: 0 });
    const interrupted = await resumed.waitFor((event) => event.type === "answer-end" && event.answerId === cut.answerId, 20_000);
    expect(interrupted).toMatchObject({ status: "interrupted", text: "", seq: cut.seq + 1 });
    const again = (await resumed.waitFor((event) => event.type === "answer-start" && event.answerId !== cut.answerId, 20_000)) as { answerId: string };
    const end = await resumed.waitFor((event) => event.type === "answer-end" && event.answerId === again.answerId, 20_000);
    expect(end).toMatchObject({ status: "complete", text: "Orders ship the same day and arrive in 2 to 4 days [1]." });
    const seqs = resumed.timeline.map((event) => event.seq);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
    expect(resumed.timeline.filter((event) => event.type === "answer-start")).toHaveLength(2);
  }, 60_000);
});
