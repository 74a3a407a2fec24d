import { afterEach, describe, expect, it } from "vitest";
import { FakeLlmServer } from "../support/fake-llm-server.ts";
import { Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

const REPLY = "VERDICT: ANSWERED\nOrders placed before 4 pm ship the same day and arrive in 2 to 4 days [1].";
let server: TestApp | undefined;
let llm: FakeLlmServer | undefined;
const shoppers: Shopper[] = [];

afterEach(async () => {
  for (const client of shoppers.splice(0)) client.close();
  await server?.close();
  server = undefined;
  await llm?.close();
  llm = undefined;
});

/** A model whose answers wait until the test lets them go. */
async function heldModel(env: Record<string, string>) {
  llm = await FakeLlmServer.start();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  llm.respondWith(() => ({ reply: REPLY, chunkSize: 8, until: gate }));
  server = await startTestApp({ env: { LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: "k", LLM_TIMEOUT_SECONDS: "30", ...env } });
  return { app: server, release };
}

async function shopper(locale: "en" | "zh" = "en") {
  const client = new Shopper(server!.url);
  shoppers.push(client);
  await client.start({ locale });
  return client;
}

const health = async () => (await (await fetch(`${server!.url}/healthz`)).json()) as { botQueue: { waiting: number; running: number; refused: number } };

describe("acknowledgements never wait for answers", () => {
  it("acknowledges a message before the bot's turn while the model is slow, for the shopper and for others", async () => {
    const { release } = await heldModel({});
    const first = await shopper();
    const sent = await first.send("How long does delivery take?");
    expect(sent).toMatchObject({ ok: true, data: { seq: 1 } });
    // The model has been asked (the turn runs) but nothing was answered before the ack: the answer
    // may have started (its start is written while the model thinks), with no text shown.
    await expect.poll(() => llm!.requests.length).toBe(1);
    expect(first.timeline[0]).toMatchObject({ type: "message", seq: 1 });
    expect(first.timeline.filter((event) => event.type !== "message" && event.type !== "answer-start")).toEqual([]);
    expect(first.deltas).toEqual([]);
    const others = await Promise.all([shopper(), shopper()]);
    const acks = await Promise.all(others.map((client) => client.send("Is shipping free?")));
    expect(acks.every((ack) => ack.ok)).toBe(true);
    expect(first.timeline.some((event) => event.type === "answer-end")).toBe(false);
    expect(first.deltas).toEqual([]);
    release();
    expect((await first.answerTo(1)).status).toBe("complete");
    for (const client of others) expect((await client.answerTo(1)).status).toBe("complete");
  });

  it("queues answers beyond the bot's capacity oldest first, tells a shopper who waits in their language, and drops nothing", async () => {
    const { release } = await heldModel({ BOT_CONCURRENCY: "1", BOT_BUSY_NOTICE_SECONDS: "0.3" });
    const first = await shopper();
    await first.send("How long does delivery take?");
    await expect.poll(() => llm!.requests.length).toBe(1);
    const second = await shopper("zh");
    const third = await shopper();
    expect(await second.send("发货要多久？")).toMatchObject({ ok: true });
    expect(await third.send("Is shipping free?")).toMatchObject({ ok: true });
    expect((await health()).botQueue).toMatchObject({ waiting: 2, running: 1 });

    const notice = await second.waitFor((event) => event.type === "notice");
    expect(notice).toMatchObject({ code: "bot-busy", text: expect.stringContaining("请稍候") });
    expect(await third.waitFor((event) => event.type === "notice")).toMatchObject({ code: "bot-busy", text: expect.stringContaining("one moment") });
    // Told once, however long the wait.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(second.timeline.filter((event) => event.type === "notice")).toHaveLength(1);
    expect(first.timeline.some((event) => event.type === "notice")).toBe(false);

    release();
    for (const client of [first, second, third]) expect((await client.answerTo(1)).status).toBe("complete");
    // Oldest first: the model saw the questions in the order they were asked.
    expect(llm!.requests.map((request) => /<question>\n([\s\S]*?)\n<\/question>/.exec(request.body.messages.at(-1)!.content)?.[1])).toEqual([
      "How long does delivery take?", "发货要多久？", "Is shipping free?",
    ]);
    expect((await health()).botQueue).toMatchObject({ waiting: 0, running: 0 });
  });

  it("refuses new questions for the bot with a coded error while the queue is full, and still takes them again later", async () => {
    const { release } = await heldModel({ BOT_CONCURRENCY: "1", BOT_QUEUE_LIMIT: "1" });
    const running = await shopper();
    await running.send("How long does delivery take?");
    await expect.poll(() => llm!.requests.length).toBe(1);
    const waiting = await shopper();
    expect(await waiting.send("Is shipping free?")).toMatchObject({ ok: true });

    const late = await shopper();
    const refused = await late.send("Do you ship abroad?", "late-1");
    expect(refused).toMatchObject({ ok: false, error: { code: "RATE_LIMITED", message: expect.stringContaining("Many shoppers") } });
    expect(late.timeline).toEqual([]);
    expect((await health()).botQueue).toMatchObject({ waiting: 1, refused: 1 });
    // Asking for a person needs no bot: it is taken and handed off at once.
    const person = await shopper();
    expect(await person.send("I want to talk to a human")).toMatchObject({ ok: true });
    expect(await person.waitFor((event) => event.type === "state-changed")).toMatchObject({ state: "waiting" });

    release();
    await running.answerTo(1);
    await waiting.answerTo(1);
    const again = await late.send("Do you ship abroad?", "late-1");
    expect(again).toMatchObject({ ok: true, data: { seq: 1, duplicate: false } });
    expect((await late.answerTo(1)).status).toBe("complete");
  });
});
