import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newPage, requireBuilt, saveScreenshot } from "../support/browser.ts";
import { Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

const ADMIN = { email: "lead@pinebrook.test", password: "correct horse battery" };
const AGENT = { email: "mei@pinebrook.test", name: "Mei", password: "another long passphrase" };

const lantern = {
  sku: "T-LANTERN-9", lang: "en", name: "Firefly Solar Lantern", category: "Outdoor", price: 159, currency: "CNY", launchDate: "2026-11-20",
  attributes: { Battery: "runs 48 hours on one charge", Charging: "solar panel or USB-C" }, description: "A collapsible solar lantern for camping, waterproof to IPX6.",
};

/**
 * The knowledge page in a real browser against the real server: an admin searches, uploads a
 * broken file (refused with file:line problems) and a good one (a new product the bot then cites),
 * rolls back, runs the regression check on an edit, sees a hand-off in the knowledge gaps; an agent
 * saves a reply as a FAQ draft in one click, the admin edits and publishes it, and the bot cites it.
 */
describe("knowledge page", () => {
  let server: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const shoppers: Shopper[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    requireBuilt("dashboard");
    // Only agents' drafts here: the lantern uploaded below would also get drafts from the catalog.
    server = await startTestApp({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, KNOWLEDGE_CHECK_ON_PUBLISH: "true", CATALOG_FAQ_DRAFTS: "off" } });
    await server.app.agentAuth.createAgent({ ...AGENT, role: "agent" });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const shopper of shoppers) shopper.close();
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
  });

  async function signIn(account: { email: string; password: string }): Promise<Page> {
    const opened = await newPage(browser, { locale: "en-US", viewport: { width: 1440, height: 900 } });
    contexts.push(opened.context);
    const { page } = opened;
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${server.url}/dashboard/`);
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator(".conn-online").waitFor();
    return page;
  }

  /** Ask in a new conversation; the bot's answer (with cited document ids) or the hand-off. */
  async function ask(question: string, options: { keep?: boolean } = {}) {
    const client = new Shopper(server.url);
    shoppers.push(client);
    await client.start({ locale: "en" });
    await client.send(question);
    const outcome = await client.waitFor((event) => event.type === "answer-end" || (event.type === "state-changed" && event.state === "waiting"));
    if (!options.keep) client.close();
    return {
      client,
      answered: outcome.type === "answer-end",
      text: outcome.type === "answer-end" ? outcome.text : "",
      documents: outcome.type === "answer-end" ? outcome.citations.map((citation) => citation.documentId) : [],
    };
  }

  it("searches, uploads, rolls back, checks, shows gaps, and turns an agent's reply into a cited FAQ entry", async () => {
    const start = await server.app.knowledge.version();
    const admin = await signIn(ADMIN);

    // ---- open Knowledge from the main navigation and search --------------------------------------
    await admin.getByRole("link", { name: "Knowledge", exact: true }).click();
    expect(admin.url()).toContain("#/knowledge");
    await admin.locator(".kn-serving", { hasText: `Serving version ${start}` }).waitFor();
    const rows = admin.locator("tr.kn-doc-row");
    await rows.first().waitFor();
    const all = await rows.count();
    const search = admin.getByRole("searchbox", { name: "Search titles, ids and text" });
    await search.fill("kettle");
    await expect.poll(() => admin.locator('tr[data-document-id="product:T-HEADPHONE-2:en"]').count()).toBe(0);
    await admin.locator('tr[data-document-id="product:T-KETTLE-1:en"]').waitFor();
    expect(await rows.count()).toBeLessThan(all);
    // A product opens as its fields, ready to edit.
    await admin.locator('tr[data-document-id="product:T-KETTLE-1:en"]').click();
    await admin.locator(".kn-section", { hasText: "Borosilicate glass" }).waitFor();
    await admin.locator(".kn-panel").getByRole("button", { name: "Edit" }).click();
    expect(await admin.getByLabel("Name", { exact: true }).inputValue()).toBe("Aurora Glass Kettle 1.7L");
    expect(await admin.getByLabel("Price").inputValue()).toBe("299");
    await admin.locator(".kn-panel").getByRole("button", { name: "Cancel" }).click();
    await admin.locator(".kn-panel-head").getByRole("button", { name: "Dismiss" }).click();
    await admin.locator(".kn-panel").waitFor({ state: "detached" });
    await search.fill("");

    // ---- a broken file is refused with file:line problems; nothing changes -----------------------
    const fileInput = admin.locator('input[type="file"]');
    const good = `${JSON.stringify(lantern)}\n`;
    await fileInput.setInputFiles({ name: "new-products.jsonl", mimeType: "application/octet-stream", buffer: Buffer.from(`${good}{"sku":"BAD","lang":"en"}\nnot json\n`) });
    await admin.locator(".kn-upload", { hasText: "new-products.jsonl" }).waitFor();
    await admin.locator(".kn-upload").getByRole("button", { name: "Publish" }).click();
    const problems = admin.locator(".kn-problems");
    await problems.waitFor();
    expect(await problems.textContent()).toContain("nothing changed");
    expect(await problems.locator("li").allTextContents()).toEqual([expect.stringMatching(/^new-products\.jsonl:2: /), expect.stringMatching(/^new-products\.jsonl:3: not valid JSON/)]);
    await saveScreenshot(admin, "knowledge-upload-refused");
    expect(await server.app.knowledge.version()).toBe(start);
    expect(await admin.locator('tr[data-document-id="product:T-LANTERN-9:en"]').count()).toBe(0);
    await admin.locator(".kn-upload").getByRole("button", { name: "Cancel" }).click();

    // ---- a good file: the new product is listed, a new version is live, and the bot cites it -------
    await fileInput.setInputFiles({ name: "new-products.jsonl", mimeType: "application/octet-stream", buffer: Buffer.from(good) });
    await admin.locator(".kn-upload").getByRole("button", { name: "Publish" }).click();
    await admin.locator('tr[data-document-id="product:T-LANTERN-9:en"]', { hasText: "Firefly Solar Lantern" }).waitFor();
    await admin.locator(".kn-serving", { hasText: `Serving version ${start + 1}` }).waitFor();
    await admin.locator(".banner-info", { hasText: `Version ${start + 1} is live: 1 added` }).waitFor();
    await saveScreenshot(admin, "knowledge-documents");
    const cited = await ask("How long does the Firefly solar lantern battery last?");
    expect(cited.text).toContain("48 hours");
    expect(cited.documents[0]).toBe("product:T-LANTERN-9:en");

    // ---- versions: roll back to before the upload ------------------------------------------------
    await admin.getByRole("link", { name: "Versions" }).click();
    const live = admin.locator("tr.kn-current");
    await live.locator(".kn-version", { hasText: `v${start + 1}` }).waitFor();
    expect(await live.textContent()).toContain(ADMIN.email);
    const rollback = admin.locator(`tr[data-version="${start}"]`).getByRole("button", { name: "Roll back to this version" });
    await rollback.click();
    await admin.locator(`tr[data-version="${start}"]`).getByRole("button", { name: `Click again to roll back to v${start}` }).click();
    await live.locator(".kn-version", { hasText: `v${start + 2}` }).waitFor();
    expect(await live.textContent()).toContain(`Rollback to v${start}`);
    expect(await admin.locator("tr[data-version]").count()).toBe(3);
    expect(await server.app.knowledge.hasDocument("product:T-LANTERN-9:en")).toBe(false);
    await saveScreenshot(admin, "knowledge-versions");

    // ---- golden questions, and the regression check on an edit that removes a fact ----------------
    await admin.getByRole("link", { name: "Golden questions" }).click();
    await admin.getByRole("button", { name: "Add a question" }).click();
    await admin.getByPlaceholder("A question the bot must keep answering").last().fill("How long does delivery take?");
    await admin.getByRole("button", { name: "Save", exact: true }).click();
    await admin.getByText("Golden questions saved: 1").waitFor();
    expect((await server.app.knowledgeAdmin.listGolden()).map((entry) => entry.question)).toEqual(["How long does delivery take?"]);

    await admin.getByRole("link", { name: "Documents" }).click();
    await admin.locator('tr[data-document-id="faq:shipping:en"]').click();
    await admin.locator(".kn-panel").getByRole("button", { name: "Edit" }).click();
    const entry = admin.locator(".kn-entry").first();
    expect(await entry.getByLabel("Question").inputValue()).toBe("How long does delivery take?");
    await entry.getByRole("button", { name: "Remove" }).click();
    await admin.locator(".kn-panel").getByRole("button", { name: "Check" }).click();
    const report = admin.locator(".kn-report");
    await report.waitFor();
    expect(await report.locator(".kn-report-verdict").textContent()).toContain("This change would lose answers");
    expect(await report.textContent()).toContain("Newly handed off: 1");
    await report.locator(".kn-change-bad", { hasText: "How long does delivery take?" }).waitFor();
    // With KNOWLEDGE_CHECK_ON_PUBLISH the server refuses the publish and says why; "Publish anyway" forces it.
    await admin.locator(".kn-panel").getByRole("button", { name: "Publish", exact: true }).click();
    await report.locator(".kn-report-verdict", { hasText: "Not published" }).waitFor();
    await report.getByRole("button", { name: "Publish anyway" }).waitFor();
    await saveScreenshot(admin, "knowledge-check");
    expect(await server.app.knowledge.version()).toBe(start + 2);
    await admin.locator(".kn-panel").getByRole("button", { name: "Cancel" }).click();

    // ---- a hand-off for missing knowledge shows up in the gaps -----------------------------------
    const question = "Do you offer gift wrapping for orders?";
    const handedOff = await ask(question, { keep: true });
    expect(handedOff.answered).toBe(false);
    expect((await ask("Can you gift wrap my order?")).answered).toBe(false);
    await admin.getByRole("link", { name: "Knowledge gaps" }).click();
    const gap = admin.locator(".kn-gap").first();
    await gap.locator(".kn-gap-count", { hasText: "2" }).waitFor();
    await gap.locator(`[data-conversation-id="${handedOff.client.conversationId}"]`).waitFor();
    await saveScreenshot(admin, "knowledge-gaps");

    // ---- an agent (no Knowledge page for them) replies and saves the reply as a FAQ draft ----------
    const agent = await signIn(AGENT);
    expect(await agent.getByRole("link", { name: "Knowledge", exact: true }).count()).toBe(0);
    await agent.locator(`button.row[data-conversation-id="${handedOff.client.conversationId}"]`).click();
    await agent.locator(".conv-actions").getByRole("button", { name: "Take over" }).click();
    await agent.locator(".divider-agent").waitFor();
    const composer = agent.locator(".composer textarea");
    await composer.fill("Yes. Gift wrapping costs ¥10 per order and includes a handwritten card.");
    await composer.press("Enter");
    await agent.locator(".bubble-agent:not(.pending)", { hasText: "Gift wrapping costs" }).waitFor();
    await agent.getByRole("button", { name: "Save as FAQ draft" }).click();
    await agent.getByText("Saved as FAQ draft").waitFor();
    await saveScreenshot(agent, "knowledge-save-draft");

    // ---- the admin opens the example conversation from the gaps, then edits and publishes the draft --
    await gap.locator(`[data-conversation-id="${handedOff.client.conversationId}"]`).click();
    await admin.locator(".bubble-shopper", { hasText: question }).waitFor();
    expect(admin.url()).toContain(`#/c/${handedOff.client.conversationId}`);
    await admin.getByRole("link", { name: "Knowledge", exact: true }).click();
    await admin.getByRole("link", { name: /FAQ drafts/ }).click();
    const draft = admin.locator(".kn-draft").first();
    expect(await draft.getByLabel("Question").inputValue()).toBe(question);
    await draft.getByLabel("Answer").fill("Yes. Gift wrapping costs ¥12 per order and includes a handwritten card.");
    await saveScreenshot(admin, "knowledge-drafts");
    await draft.getByRole("button", { name: "Publish" }).click();
    await admin.getByText("No drafts.").waitFor();
    await admin.locator(".kn-serving", { hasText: `Serving version ${start + 3}` }).waitFor();

    const learned = await ask("Do you offer gift wrapping?");
    expect(learned.text).toContain("¥12");
    expect(learned.documents[0]).toMatch(/^faq:learned-/);

    // ---- an admin can answer a gap right there, as a draft ------------------------------------------
    await admin.getByRole("link", { name: "Knowledge gaps" }).click();
    await gap.getByRole("button", { name: "Answer it" }).click();
    expect(await gap.getByLabel("Question").inputValue()).toBe("Can you gift wrap my order?");
    await gap.getByLabel("Answer").fill("Yes, for ¥12 per order.");
    await gap.getByRole("button", { name: "Save as draft" }).click();
    await gap.getByText("Saved as a FAQ draft").waitFor();
    await admin.locator(".kn-tab-drafts .kn-rail-count", { hasText: "1" }).waitFor();

    // ---- a broken file in the knowledge folder is shown to the admin with its line ---------------------
    await writeFile(join(server.knowledgeDir, "broken.jsonl"), `{"sku":"T-BROKEN","lang":"en"}\n`);
    await expect.poll(() => server.app.knowledgeAdmin.problems.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await admin.getByRole("link", { name: "Documents" }).click();
    await admin.locator(".kn-problems", { hasText: "Files in the knowledge folder were rejected" }).locator("li", { hasText: /^broken\.jsonl:1: / }).waitFor();
    await rm(join(server.knowledgeDir, "broken.jsonl"));

    // ---- the page in Chinese -----------------------------------------------------------------------
    await admin.getByRole("button", { name: "Language" }).click();
    await admin.getByRole("link", { name: "知识库" }).waitFor();
    await admin.locator(`tr[data-document-id="${learned.documents[0]}"]`).click();
    await admin.locator(".kn-panel").getByRole("button", { name: "编辑" }).waitFor();
    await saveScreenshot(admin, "knowledge-zh");
    await admin.setViewportSize({ width: 1024, height: 768 });
    await saveScreenshot(admin, "knowledge-narrow");
    expect(errors).toEqual([]);
  }, 60_000);
});
