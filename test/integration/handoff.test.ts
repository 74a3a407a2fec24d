import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeLlmServer } from "../support/fake-llm-server.ts";
import { Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

let server: TestApp;
let llm: FakeLlmServer | undefined;
const shoppers: Shopper[] = [];
async function shopper(locale: "en" | "zh" = "en") {
  const client = new Shopper(server.url);
  shoppers.push(client);
  await client.start({ locale });
  return client;
}
const stateChange = (client: Shopper) => client.waitFor((event) => event.type === "state-changed" && event.state === "waiting");

afterEach(async () => {
  for (const client of shoppers.splice(0)) client.close();
  await server?.close();
  await llm?.close();
  llm = undefined;
});

describe("hand-off to a person", () => {
  it.each([
    ["Can I talk to a real person please?", "en"],
    ["I'd like to speak with someone from customer service", "en"],
    ["agent", "en"],
    ["转人工", "zh"],
    ["有没有真人客服在？", "zh"],
    ["我想找你们的工作人员聊一下", "zh"],
  ] as const)("hands off when the shopper asks for a person: %s", async (text, locale) => {
    server = await startTestApp();
    const client = await shopper(locale);
    await client.send(text);
    expect(await stateChange(client)).toMatchObject({ reason: "shopper-request" });
    const notice = await client.waitFor((event) => event.type === "notice");
    expect(notice).toMatchObject({ code: "no-agent-online" });
    expect((notice as { text: string }).text).toMatch(locale === "zh" ? /客服/ : /team/);
    expect(client.timeline.some((event) => event.type === "answer-start")).toBe(false);
  });

  it("does not mistake a product question about people or agents for a request", async () => {
    server = await startTestApp();
    const client = await shopper();
    await client.send("How many people can use the kettle at once, is it big enough for a family?");
    await client.waitFor((event) => event.type === "answer-end" || event.type === "state-changed");
    expect(client.timeline.find((event) => event.type === "state-changed" && event.reason === "shopper-request")).toBeUndefined();
  });

  it("hands off on frustration", async () => {
    server = await startTestApp();
    const client = await shopper();
    await client.send("This is useless, you are not answering what I asked!!!");
    expect(await stateChange(client)).toMatchObject({ reason: "frustration" });
  });

  it("hands off low-confidence questions instead of guessing, offline", async () => {
    server = await startTestApp();
    const client = await shopper();
    await client.send("Do you sell second-hand cars with a leasing plan?");
    expect(await stateChange(client)).toMatchObject({ reason: "low-confidence" });
    expect(client.timeline.some((event) => event.type === "answer-start")).toBe(false);
    const [entry] = await server.app.service.listQueue();
    expect(entry!.handoff!.confidence!.score).toBeLessThan(entry!.handoff!.confidence!.threshold);
    expect(entry!.handoff!.draft).toBeTruthy();
  });

  it("hands off when the shopper asks the same thing again", async () => {
    server = await startTestApp();
    const client = await shopper();
    await client.send("How long does delivery take to Shanghai?");
    await client.answerTo(1);
    const again = await client.send("how long does delivery take to shanghai??");
    expect(again.ok).toBe(true);
    expect(await stateChange(client)).toMatchObject({ reason: "repeated-failure" });
  });

  it("tells the shopper a person is coming when an agent is online, and outside hours when it is late", async () => {
    server = await startTestApp();
    server.app.availability.agentOnline("agent-1");
    const client = await shopper();
    await client.send("I want to talk to a human");
    expect(await client.waitFor((event) => event.type === "notice")).toMatchObject({ code: "handoff-queued" });
    await server.close();

    server = await startTestApp({ env: { BUSINESS_HOURS: "09:00-18:00", BUSINESS_TIMEZONE: "Asia/Shanghai" }, overrides: { clock: () => new Date("2026-11-22T15:00:00Z") } });
    server.app.availability.agentOnline("agent-1");
    const late = await shopper();
    await late.send("I want to talk to a human");
    const notice = await late.waitFor((event) => event.type === "notice");
    expect(notice).toMatchObject({ code: "outside-hours", text: expect.stringContaining("09:00-18:00") });
  });

  it("keeps the conversation queued with the contact the shopper left, and the bot silent, across a restart", async () => {
    server = await startTestApp();
    const client = await shopper();
    await client.send("转人工");
    await stateChange(client);
    const refused = await client.socket.timeout(5000).emitWithAck("contact-leave", { name: "Li", message: "call me" });
    expect(refused).toMatchObject({ ok: false, error: { code: "BAD_REQUEST", message: expect.stringContaining("email or a phone") } });
    const left = await client.socket.timeout(5000).emitWithAck("contact-leave", { name: "Li", phone: "+86 138 0000 0000", message: "Please call me about the kettle" });
    expect(left.ok).toBe(true);
    await client.waitFor((event) => event.type === "notice" && event.code === "contact-received");
    client.close();

    server = await server.restart();
    const back = new Shopper(server.url);
    shoppers.push(back);
    back.resumeToken = client.resumeToken;
    const resumed = await back.start({ lastSeq: 0 });
    expect(resumed.ok && resumed.data.state).toBe("waiting");
    const sent = await back.send("Is shipping free?");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(back.timeline.filter((event) => event.type === "answer-start")).toHaveLength(0);
    const [entry] = await server.app.service.listQueue();
    expect(entry).toMatchObject({ id: client.conversationId, state: "waiting", contactLeft: true, lastMessage: "Is shipping free?", handoff: { reason: "shopper-request" } });
    expect(sent.ok).toBe(true);
  });

  it("stops an answer that is streaming when the hand-off lands, and the bot says nothing after it", async () => {
    llm = await FakeLlmServer.start();
    llm.enqueue({ reply: `VERDICT: ANSWERED\n${"Orders placed before 4 pm ship the same day. ".repeat(8)}[1]`, chunkSize: 6, tokenMs: 40 });
    server = await startTestApp({ env: { LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: "k", LLM_TIMEOUT_SECONDS: "5" } });
    const client = await shopper();
    await client.send("How long does delivery take?");
    await client.waitFor((event) => event.type === "answer-start");
    await vi.waitFor(() => expect(client.deltas.length).toBeGreaterThan(0), { timeout: 5_000 });
    await client.send("actually let me talk to a human");
    const waiting = await stateChange(client);
    const end = await client.waitFor((event) => event.type === "answer-end");
    // The stopped answer keeps what the shopper saw stream, and nothing streams after it.
    expect(end).toMatchObject({ status: "stopped" });
    const streamed = client.deltas.map((delta) => delta.text).join("");
    expect((end as { text: string }).text).toBe(streamed);
    const deltasAtEnd = client.deltas.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    const botAfter = client.timeline.filter((event) => event.seq > waiting.seq && event.type === "answer-start");
    expect(botAfter).toEqual([]);
    expect(client.deltas.length).toBe(deltasAtEnd);
  });
});
