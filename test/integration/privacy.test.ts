import { afterEach, describe, expect, it } from "vitest";
import { FakeLlmServer } from "../support/fake-llm-server.ts";
import { Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

let server: TestApp;
let llm: FakeLlmServer | undefined;
const shoppers: Shopper[] = [];

afterEach(async () => {
  for (const shopper of shoppers.splice(0)) shopper.close();
  await server?.close();
  await llm?.close();
  llm = undefined;
});

const PERSONAL = ["li.wei+orders@example.com", "13812345678", "4111 1111 1111 1111", "11010519491231002X"];

describe("personal data and the model", () => {
  it("masks emails, phones, cards and ID numbers before the question and the conversation reach the LLM, and keeps them for agents", async () => {
    llm = await FakeLlmServer.start();
    llm.respondWith(() => ({ reply: "VERDICT: ANSWERED\nOrders ship the same day [1]." }));
    server = await startTestApp({ env: { LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: "sk-test", LLM_MODEL: "fake-model" } });
    const shopper = new Shopper(server.url);
    shoppers.push(shopper);
    await shopper.start({ locale: "en" });
    await shopper.send(`Hi, I'm li.wei+orders@example.com, phone 13812345678. When does my order ship?`);
    await shopper.answerTo(1);
    const second = await shopper.send(`I paid with card 4111 1111 1111 1111 and my ID is 11010519491231002X. How long is delivery?`);
    await shopper.answerTo(second.ok ? second.data.seq : -1);

    expect(llm.requests.length).toBeGreaterThanOrEqual(2);
    const sent = JSON.stringify(llm.requests.map((request) => request.body));
    for (const value of PERSONAL) expect(sent).not.toContain(value);
    const last = llm.requests.at(-1)!.body.messages.at(-1)!.content;
    expect(last).toContain("Hi, I'm [email], phone [phone]. When does my order ship?");
    expect(last).toContain("I paid with card [card] and my ID is [id-number]. How long is delivery?");

    // The transcript agents read is the shopper's own words.
    const events = await server.app.agentDesk.detail(shopper.conversationId!);
    expect(JSON.stringify(events)).toContain("li.wei+orders@example.com");
  });
});
