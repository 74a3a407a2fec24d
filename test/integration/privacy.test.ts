import { afterEach, describe, expect, it } from "vitest";
import { logIn } from "../support/agent-client.ts";
import { runCli as runCliIn } from "../support/run-script.ts";
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

const ADMIN = { email: "admin@pinebrook.test", password: "correct horse battery" };
const env = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
const DAY = 86_400_000;
// The command line on the same stores as the server: its data folder, and its database when it has one.
const runCli = (args: string[]) => runCliIn(args, { DATA_DIR: server.dataDir, ...(server.app.config.database.url ? { DATABASE_URL: server.app.config.database.url } : {}) });

async function conversation(text: string, contact?: { email: string }): Promise<string> {
  const shopper = new Shopper(server.url);
  shoppers.push(shopper);
  await shopper.start({ locale: "en" });
  await shopper.send(text);
  // Answered, or handed to a person: either way the bot is done with it.
  await shopper.waitFor((event) => event.type === "answer-end" || event.type === "notice");
  if (contact) {
    const left = (await shopper.socket.timeout(10_000).emitWithAck("contact-leave", { ...contact, message: "please call back" })) as { ok: boolean };
    expect(left.ok).toBe(true);
  }
  shopper.close();
  return shopper.conversationId!;
}
const exists = (id: string) => server.app.agentDesk.detail(id).then(() => true, () => false);

describe("retention", () => {
  it("deletes conversations inactive for RETENTION_DAYS, with their contacts and notes, and ended sessions, logging only counts and ids", async () => {
    let now = Date.now() - 40 * DAY;
    server = await startTestApp({ env: { ...env, RETENTION_DAYS: "30" }, overrides: { clock: () => new Date(now) } });
    const old = await conversation("Do you ship to Hangzhou?", { email: "old.shopper@example.com" });
    const admin = (await server.app.agentAuth.listAgents())[0]!;
    await server.app.agentDesk.addNote(old, admin, "called back, all good");
    await server.app.agentAuth.login(ADMIN.email, ADMIN.password, "127.0.0.1");
    now = Date.now();
    const recent = await conversation("What is the return policy?");

    expect(await server.app.shopperData.runRetention()).toEqual({ conversations: 1, sessions: 1 });
    expect(await exists(old)).toBe(false);
    expect(await exists(recent)).toBe(true);
    await expect(server.app.shopperData.export({ email: "old.shopper@example.com" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const [record] = await server.app.shopperData.listDeletions();
    expect(record).toMatchObject({ reason: "retention", conversations: 1, conversationIds: [old] });
    expect(JSON.stringify(record)).not.toContain("example.com");
    expect(await server.app.shopperData.runRetention()).toEqual({ conversations: 0, sessions: 0 });
  });
});

describe("one shopper's data on request", () => {
  it("exports and deletes by contact email through the API, and by conversation through the CLI", async () => {
    server = await startTestApp({ env });
    const withContact = await conversation("Is the lamp in stock?", { email: "Li.Wei@Example.com" });
    const withMessage = await conversation("My email is li.wei@example.com, do you gift wrap?");
    const other = await conversation("How long is delivery?", { email: "someone.else@example.com" });
    const { token } = await logIn(server.url, ADMIN.email, ADMIN.password);
    const headers = { authorization: `Bearer ${token}` };

    const exported = await fetch(`${server.url}/api/admin/privacy/export?email=li.wei%40example.com`, { headers });
    expect(exported.status).toBe(200);
    const body = (await exported.json()) as { conversations: { conversation: { id: string }; events: { type: string; body: { email?: string } }[] }[] };
    expect(body.conversations.map((item) => item.conversation.id).sort()).toEqual([withContact, withMessage].sort());
    expect(body.conversations.flatMap((item) => item.events).find((event) => event.type === "contact")?.body.email).toBe("Li.Wei@Example.com");
    expect((await fetch(`${server.url}/api/admin/privacy/export?email=nobody%40example.com`, { headers })).status).toBe(404);
    expect((await fetch(`${server.url}/api/admin/privacy/export`, { headers })).status).toBe(400);

    const deleted = await fetch(`${server.url}/api/admin/privacy/delete`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ email: "li.wei@example.com" }) });
    expect(await deleted.json()).toMatchObject({ deletion: { reason: "request", by: ADMIN.email, conversations: 2 } });
    expect(await exists(withContact)).toBe(false);
    expect(await exists(withMessage)).toBe(false);
    expect(await exists(other)).toBe(true);

    // The command line, on the same data folder while the server runs.
    const cliExport = await runCli(["privacy", "export", "--conversation", other]);
    expect(cliExport.code).toBe(0);
    expect(JSON.parse(cliExport.stdout).conversations[0].conversation.id).toBe(other);
    const cliDelete = await runCli(["privacy", "delete", "--conversation", other]);
    expect(JSON.parse(cliDelete.stdout)).toMatchObject({ deletion: { reason: "request", by: "command line", conversations: 1 } });
    expect(await exists(other)).toBe(false);
    expect((await runCli(["privacy", "delete"])).code).toBe(2);

    const log = (await (await fetch(`${server.url}/api/admin/privacy/deletions`, { headers })).json()) as { deletions: unknown[] };
    expect(log.deletions).toHaveLength(2);
    expect(JSON.stringify(log)).not.toMatch(/li\.wei|someone\.else|gift wrap/i);
  }, 60_000);
});
