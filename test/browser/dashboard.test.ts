import { type Browser, type BrowserContext, type Page, type WebSocketRoute } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConversationEvent } from "../../src/protocol/conversation-events.ts";
import { AgentClient } from "../support/agent-client.ts";
import { launchBrowser, newPage, requireBuilt, saveScreenshot } from "../support/browser.ts";
import { Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

const ADMIN = { email: "lead@pinebrook.test", password: "correct horse battery" };
const PEER = { email: "li.wei@pinebrook.test", name: "Li Wei", password: "another long passphrase" };

/**
 * The agent dashboard in a real browser against the real server: a shopper is handed off, the
 * agent sees it appear live, reads the evidence, uses the bot's draft, takes over, replies (the
 * shopper receives it), writes a note the shopper never sees, survives a network drop, loses a
 * take-over race with a clear message, and hands back.
 */
describe("agent dashboard", () => {
  let server: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[] = [];
  const shoppers: Shopper[] = [];
  const agents: AgentClient[] = [];
  /** The page's socket.io WebSockets, passed through Playwright so the test can drop the network or hold frames. */
  const network = { down: false, hold: null as RegExp | null, held: [] as (() => void)[], sockets: [] as WebSocketRoute[] };

  beforeAll(async () => {
    requireBuilt("dashboard");
    server = await startTestApp({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } });
    await server.app.agentAuth.createAgent({ ...PEER, role: "agent" });
    browser = await launchBrowser();
    ({ context, page, errors } = await newPage(browser, { locale: "en-US", viewport: { width: 1440, height: 900 } }));
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) errors.push(message.text());
    });
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (network.down) {
        ws.close();
        return;
      }
      network.sockets.push(ws);
      const upstream = ws.connectToServer();
      ws.onMessage((message) => upstream.send(message));
      upstream.onMessage((message) => {
        if (network.hold && typeof message === "string" && network.hold.test(message)) network.held.push(() => ws.send(message));
        else ws.send(message);
      });
      ws.onClose(() => upstream.close());
      upstream.onClose(() => ws.close());
    });
  });

  afterAll(async () => {
    for (const shopper of shoppers) shopper.close();
    for (const agent of agents) agent.close();
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  async function shopper(locale: "en" | "zh", productId: string): Promise<Shopper> {
    const client = new Shopper(server.url);
    shoppers.push(client);
    const started = await client.start({ locale, productId });
    expect(started.ok).toBe(true);
    return client;
  }

  const agentMessages = (client: Shopper) => client.timeline.filter((event): event is ConversationEvent & { type: "message" } => event.type === "message" && event.author === "agent");

  it("logs in, sees hand-offs live, takes over, replies, notes, reconnects, loses a race clearly, hands back", async () => {
    // ---- log in -------------------------------------------------------------------------------
    await page.goto(`${server.url}/dashboard/`);
    await page.getByLabel("Email").waitFor();
    await saveScreenshot(page, "dashboard-login");
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill("wrong password!!");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.locator(".form-error").textContent()).toContain("Could not sign in");
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator(".conn-online").waitFor();
    await page.getByText("No one is waiting").waitFor();

    // ---- a shopper the bot cannot help, and one who asks for a person, appear live ---------------
    const kettle = await shopper("en", "T-KETTLE-1");
    await kettle.send("What is the capacity of the kettle?");
    await kettle.answerTo(1);
    await kettle.send("Do you sell second-hand cars with a leasing plan?");
    await kettle.waitFor((event) => event.type === "state-changed" && event.state === "waiting");
    const kettleRow = page.locator(`button.row[data-conversation-id="${kettle.conversationId}"]`);
    await kettleRow.waitFor();
    await expect.poll(() => kettleRow.textContent()).toContain("Low confidence");
    await page.locator(".toast-handoff").first().waitFor();

    const person = await shopper("zh", "T-HEADPHONE-2");
    await person.send("转人工");
    const personRow = page.locator(`button.row[data-conversation-id="${person.conversationId}"]`);
    await personRow.waitFor();
    await expect.poll(() => personRow.textContent()).toContain("Asked for a person");
    await expect.poll(() => page.locator(".filter-waiting .count").textContent()).toBe("2");
    await saveScreenshot(page, "dashboard-queue");

    // ---- open it: transcript and evidence -----------------------------------------------------
    await kettleRow.click();
    await page.locator(".bubble-shopper", { hasText: "second-hand cars" }).waitFor();
    await page.locator(".bubble-bot").first().waitFor();
    const evidence = page.locator("#evidence");
    await evidence.locator(".reason-big", { hasText: "Low confidence" }).waitFor();
    await evidence.locator(".score-big").waitFor();
    expect(await evidence.locator(".part").count()).toBeGreaterThanOrEqual(3);
    expect(await evidence.locator(".passages li").count()).toBeGreaterThan(0);
    const draft = (await evidence.locator(".draft").textContent())!.trim();
    expect(draft.length).toBeGreaterThan(0);
    expect(page.url()).toContain(`#/c/${kettle.conversationId}`);

    // "Use draft" puts the bot's draft in the composer for editing; replying needs a take-over first.
    await evidence.getByRole("button", { name: "Use draft" }).click();
    const composer = page.locator(".composer textarea");
    await expect.poll(async () => (await composer.inputValue()).trim()).toBe(draft);
    expect(await page.locator(".composer button[type=submit]").isDisabled()).toBe(true);

    // ---- take over: the shopper sees a person join ----------------------------------------------
    await page.locator(".conv-actions").getByRole("button", { name: "Take over" }).click();
    await page.locator(".divider-agent", { hasText: "You took over" }).waitFor();
    await kettle.waitFor((event) => event.type === "state-changed" && event.state === "agent");
    await saveScreenshot(page, "dashboard-taken-over");

    // ---- typing, both ways ----------------------------------------------------------------------
    kettle.socket.emit("typing", { isTyping: true });
    await page.locator(".typing", { hasText: "Shopper is typing" }).waitFor();
    const agentTyping = new Promise<unknown>((resolve) => kettle.socket.on("typing", (signal) => signal.author === "agent" && signal.isTyping && resolve(signal)));

    // ---- reply: Enter sends, Shift+Enter is a new line, an IME-confirming Enter never sends ------
    await composer.fill("");
    await composer.pressSequentially("Sorry, we only sell home goods.");
    await composer.press("Shift+Enter");
    await composer.pressSequentially("我们不卖");
    await composer.dispatchEvent("keydown", { key: "Enter", code: "Enter", keyCode: 229, isComposing: true, bubbles: true });
    await composer.pressSequentially("二手车。");
    await agentTyping;
    await composer.press("Enter");
    const reply = await kettle.waitFor((event) => event.type === "message" && event.author === "agent");
    expect(reply).toMatchObject({ text: "Sorry, we only sell home goods.\n我们不卖二手车。" });
    await page.locator(".bubble-agent:not(.pending)", { hasText: "我们不卖二手车" }).waitFor();
    expect(await composer.inputValue()).toBe("");

    // ---- an internal note: clearly marked, never sent to the shopper ------------------------------
    await page.getByRole("button", { name: "Internal note" }).click();
    await page.locator(".note-banner", { hasText: "never sent to the shopper" }).waitFor();
    await composer.fill("Shopper asked about cars; offered the kettle range instead.");
    await composer.press("Enter");
    await page.locator(".item-note .note-text", { hasText: "offered the kettle range" }).waitFor();
    await page.getByRole("button", { name: "Reply", exact: true }).click();

    await saveScreenshot(page, "dashboard");

    // ---- a network drop: reconnect by itself and catch up without a reload ---------------------
    network.down = true;
    for (const ws of network.sockets.splice(0)) await ws.close();
    await page.locator(".offline-banner").waitFor();
    await saveScreenshot(page, "dashboard-offline");
    const missed = await kettle.send("OK, thanks. Can you tell me the kettle's power?");
    expect(missed.ok).toBe(true);
    network.down = false;
    await page.locator(".conn-online").waitFor();
    await page.locator(".bubble-shopper", { hasText: "kettle's power" }).waitFor();
    // Every event shows once: the reconnect merged the replay with what was already on screen.
    const seqs = await page.locator(".items > li[data-seq]").evaluateAll((items) => items.map((item) => item.getAttribute("data-seq")));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(await page.locator(".bubble-shopper", { hasText: "second-hand cars" }).count()).toBe(1);

    // ---- two agents take over at once: the dashboard loses and says so --------------------------
    const peer = await AgentClient.connect(server.url, PEER.email, PEER.password);
    agents.push(peer);
    await personRow.click();
    await page.locator(".bubble-shopper", { hasText: "转人工" }).waitFor();
    // Hold the news of the peer's take-over so this page still offers "Take over", as in a real race.
    network.hold = new RegExp(`"(conversation-updated|conversation-event)",\\{[^]*${person.conversationId}`);
    const peerWon = await peer.emit("conversation-take-over", { conversationId: person.conversationId! });
    expect(peerWon.ok).toBe(true);
    await page.locator(".conv-actions").getByRole("button", { name: "Take over" }).click();
    const banner = page.locator(".banner-error");
    await banner.waitFor();
    expect(await banner.textContent()).toContain("Someone else got there first");
    network.hold = null;
    for (const release of network.held.splice(0)) release();
    await page.locator(".divider-agent", { hasText: "Li Wei took over" }).waitFor();
    await saveScreenshot(page, "dashboard-conflict");

    // ---- hand back: the bot answers the kettle shopper again -------------------------------------
    await page.locator(".filter-all").click();
    await kettleRow.click();
    await page.locator(".conv-actions").getByRole("button", { name: "Hand back to bot" }).click();
    await page.locator(".divider-bot", { hasText: "handed back to the bot" }).waitFor();
    const back = await kettle.waitFor((event) => event.type === "state-changed" && event.state === "bot");
    const asked = await kettle.send("Is the kettle glass?");
    expect(asked.ok).toBe(true);
    await kettle.answerTo((asked as { ok: true; data: { seq: number } }).data.seq);
    await page.locator(".item-answer").last().waitFor();
    // The note never reached the shopper, and exactly one agent message did.
    expect(kettle.timeline.some((event) => JSON.stringify(event).includes("offered the kettle range"))).toBe(false);
    expect(agentMessages(kettle)).toHaveLength(1);
    expect(back.seq).toBeGreaterThan(reply.seq);

    // ---- search over transcripts, and presence ----------------------------------------------------
    const search = page.getByRole("searchbox", { name: "Search transcripts" });
    await search.fill("leasing plan");
    await expect.poll(() => personRow.count()).toBe(0);
    expect(await kettleRow.count()).toBe(1);
    await search.press("Escape");
    await personRow.waitFor();
    expect(server.app.availability.onlineAgents).toBe(2);
    await page.getByRole("button", { name: "Away" }).click();
    await expect.poll(() => server.app.availability.onlineAgents).toBe(1);
    await page.getByRole("button", { name: "Online" }).click();
    await expect.poll(() => server.app.availability.onlineAgents).toBe(2);

    // ---- Chinese UI --------------------------------------------------------------------------
    await personRow.click();
    await page.getByRole("button", { name: "Language" }).click();
    await page.getByRole("button", { name: "结束会话" }).waitFor();
    await kettleRow.click();
    await page.locator(".reason-big", { hasText: "置信度低" }).waitFor();
    await saveScreenshot(page, "dashboard-zh");
    await page.setViewportSize({ width: 1024, height: 768 });
    await saveScreenshot(page, "dashboard-narrow");

    // ---- a revoked session goes back to the sign-in page ------------------------------------------
    const admin = (await server.app.agentAuth.listAgents()).find((agent) => agent.email === ADMIN.email)!;
    await server.app.agentAuth.revokeAgent(admin.id);
    await page.locator(".login .form-notice").waitFor();
    expect(errors).toEqual([]);
  }, 60_000);
});
