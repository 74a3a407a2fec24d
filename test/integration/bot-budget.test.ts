import { afterEach, describe, expect, it } from "vitest";
import { FAKE_USAGE, FakeLlmServer } from "../support/fake-llm-server.ts";
import { Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

/** Over the bot's budget the shopper is told, in their language, and offered a person; everyone else goes on. */
let server: TestApp | undefined;
let llm: FakeLlmServer | undefined;
const shoppers: Shopper[] = [];

afterEach(async () => {
  for (const shopper of shoppers.splice(0)) shopper.close();
  await server?.close();
  await llm?.close();
  server = undefined;
  llm = undefined;
});

async function shopper(locale: "en" | "zh" = "en"): Promise<Shopper> {
  const client = new Shopper(server!.url, { extraHeaders: { "x-forwarded-for": `10.20.0.${shoppers.length + 1}` } });
  shoppers.push(client);
  await client.start({ locale });
  return client;
}

async function ask(client: Shopper, text: string): Promise<number> {
  const ack = await client.send(text);
  if (!ack.ok) throw new Error(`message refused: ${ack.error.code}`);
  return ack.data.seq;
}

/** The bot-budget notice, the hand-off with reason bot-budget, and the offer of a person. */
async function offeredAPerson(client: Shopper): Promise<string> {
  const busy = await client.waitFor((event) => event.type === "notice" && event.code === "bot-budget");
  await client.waitFor((event) => event.type === "state-changed" && event.state === "waiting" && event.reason === "bot-budget");
  await client.waitFor((event) => event.type === "notice" && (event.code === "no-agent-online" || event.code === "handoff-queued"));
  expect(client.timeline.some((event) => event.type === "answer-start")).toBe(false);
  return (busy as { text: string }).text;
}

const metricsText = async () => (await fetch(`${server!.url}/metrics`)).text();

const llmEnv = () => ({ LLM_BASE_URL: llm!.baseUrl, LLM_API_KEY: "not-needed", LLM_MODEL: "fake", LLM_TIMEOUT_SECONDS: "5" });
const slowReply = { reply: `VERDICT: ANSWERED\n${"Orders ship the same day [1]. ".repeat(6)}`, chunkSize: 10, tokenMs: 40, firstTokenMs: 100 };

describe("the bot's budget", () => {
  it("answers per minute over all shoppers: the next shopper is offered a person, in Chinese when they write Chinese", async () => {
    server = await startTestApp({ env: { ANSWERS_PER_MINUTE: "1" } });
    const first = await shopper();
    expect((await first.answerTo(await ask(first, "How long does delivery take?"))).status).toBe("complete");
    const second = await shopper("zh");
    await ask(second, "配送需要多长时间？");
    expect(await offeredAPerson(second)).toMatch(/繁忙/);
    expect(await metricsText()).toMatch(/kefu_limits_hit_total\{limit="answers-per-minute"\} 1/);
    // Shopper events and the rest of the server are not affected.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await first.send("Thanks")).ok).toBe(true);
  });

  it("LLM tokens per day: once spent, the next question is not sent to the model", async () => {
    llm = await FakeLlmServer.start();
    llm.respondWith(() => slowReply);
    server = await startTestApp({ env: { ...llmEnv(), LLM_TOKENS_PER_DAY: "1" } });
    const first = await shopper();
    expect((await first.answerTo(await ask(first, "How long does delivery take?"))).status).toBe("complete");

    // The first answer spent the day's tokens: the next question is not sent to the model.
    const second = await shopper();
    await ask(second, "How long does delivery take?");
    await offeredAPerson(second);
    expect(llm.requests).toHaveLength(1);
    const text = await metricsText();
    expect(text).toMatch(/kefu_limits_hit_total\{limit="llm-tokens-per-day"\} 1/);
    expect(text).toMatch(/kefu_llm_calls_total\{outcome="ok"\} 1/);
    // The usage the model server reported, not an estimate.
    expect(text).toMatch(new RegExp(`^kefu_llm_tokens_total ${FAKE_USAGE.total_tokens}$`, "m"));
    expect(text).toMatch(/kefu_handoffs_total\{reason="bot-budget"\} 1/);
  });

  it("concurrent LLM calls: requests wait for a slot and every answer still arrives", async () => {
    llm = await FakeLlmServer.start();
    llm.respondWith(() => ({ ...slowReply, tokenMs: 5 }));
    server = await startTestApp({ env: { ...llmEnv(), CONCURRENT_LLM_CALLS: "1" } });
    const clients = await Promise.all([shopper(), shopper(), shopper()]);
    const ends = await Promise.all(clients.map(async (client) => client.answerTo(await ask(client, "How long does delivery take?"))));
    expect(ends.map((end) => end.status)).toEqual(["complete", "complete", "complete"]);
    expect(llm.requests).toHaveLength(3);
    expect(llm.maxInFlight).toBe(1);
  });
});
