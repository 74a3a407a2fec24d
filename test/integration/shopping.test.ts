import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ConversationEvent } from "../../src/protocol/conversation-events.ts";
import { logIn } from "../support/agent-client.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";
import { Shopper } from "../support/shopper.ts";

const SAMPLE_STORE = new URL("../../knowledge/", import.meta.url).pathname;
/** The sample store's "today". */
const TODAY = new Date("2026-11-22T10:00:00Z");
const ADMIN = { email: "lead@pinebrook.test", password: "correct horse battery" };

type AnswerEnd = ConversationEvent & { type: "answer-end" };

let server: TestApp | undefined;
let folder: string | undefined;
const clients: Shopper[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.close();
  server = undefined;
  if (folder) await rm(folder, { recursive: true, force: true });
  folder = undefined;
});

async function sampleStore(extra: Record<string, string> = {}): Promise<TestApp> {
  folder = await mkdtemp(join(tmpdir(), "kefu-shop-"));
  await cp(SAMPLE_STORE, folder, { recursive: true });
  for (const [file, content] of Object.entries(extra)) await writeFile(join(folder, file), content);
  server = await startTestApp({ knowledgeDir: folder, env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }, overrides: { clock: () => TODAY } });
  return server;
}

async function ask(client: Shopper, text: string): Promise<AnswerEnd> {
  const sent = await client.send(text);
  if (!sent.ok) throw new Error(JSON.stringify(sent));
  return client.answerTo(sent.data.seq);
}

async function shopper(app: TestApp, start: { productId?: string; locale?: "en" | "zh" } = {}): Promise<Shopper> {
  const client = new Shopper(app.url);
  clients.push(client);
  const started = await client.start({ locale: "en", ...start });
  expect(started.ok).toBe(true);
  return client;
}

describe("the shopping assistant over /chat", () => {
  it("recommends products that meet the question's filters, best first, with cards from the catalog", async () => {
    const app = await sampleStore();
    const client = await shopper(app);
    const end = await ask(client, "a quiet air purifier for a 30 m² room under ¥1,500");
    expect(end.status).toBe("complete");
    expect(end.products?.map((card) => card.sku)).toEqual(["KF-HOM-0303"]);
    expect(end.products?.[0]).toMatchObject({ name: "Pinebrook AP40 HEPA Air Purifier", priceText: "¥1,299", isNew: true, fit: "match", url: "/demo/products/KF-HOM-0303" });
    expect(end.products?.[0]?.reason).toContain("22 dB");
    expect(end.text).toContain("¥1,299");

    const zh = await ask(client, "适合4个人的空气炸锅");
    expect(zh.products?.map((card) => card.sku)).toEqual(["KF-APL-0205"]);
    expect(zh.products?.[0]?.name).toBe("松溪双篮空气炸锅 8 升");
  });

  it("says plainly when nothing matches and shows what comes closest, never as a match", async () => {
    const app = await sampleStore();
    const client = await shopper(app, { locale: "zh" });
    const end = await ask(client, "300 元以内的耳机");
    expect(end.text).toContain("没有完全符合条件的商品");
    expect(end.products!.length).toBeGreaterThan(0);
    expect(end.products!.every((card) => card.fit === "closest" && card.price > 300)).toBe(true);
  });

  it("compares named products side by side, and 'these two' after a recommendation", async () => {
    const app = await sampleStore();
    const client = await shopper(app);
    const end = await ask(client, "the 4.5 L vs the 8 L air fryer");
    expect(end.comparison?.skus).toEqual(["KF-APL-0204", "KF-APL-0205"]);
    const capacity = end.comparison!.rows.find((row) => row.label === "Capacity")!;
    expect(capacity).toMatchObject({ differs: true });
    expect(capacity.values[1]).toContain("8 L");
    expect(end.comparison!.rows.find((row) => row.label === "Price")!.values).toEqual(["¥459", "¥799"]);

    await ask(client, "Do you have noise-cancelling headphones or earbuds?");
    const these = await ask(client, "这两款有什么区别");
    expect(these.comparison?.skus.length).toBeGreaterThanOrEqual(2);
  });

  it("lists accessories the catalog links to the page's product, and cheaper alternatives", async () => {
    const app = await sampleStore();
    const client = await shopper(app, { productId: "KF-KIT-0101" });
    const related = await ask(client, "what do I need to keep this pan in shape?");
    expect(related.products?.map((card) => card.sku)).toEqual(["KF-ACC-0703"]);
    const cheaper = await ask(client, "Is there a cheaper option?");
    expect(cheaper.products?.map((card) => card.sku)).toEqual(["KF-KIT-0102"]);
  });

  it("leaves ordinary product questions to the ordinary answer path", async () => {
    const app = await sampleStore();
    const client = await shopper(app, { productId: "KF-KIT-0101" });
    const end = await ask(client, "Is it oven safe?");
    expect(end.products).toBeUndefined();
  });

  it("offers question chips the page's product answers, and a new-arrivals chip elsewhere", async () => {
    const app = await sampleStore();
    const client = await shopper(app);
    const onPage = await client.socket.emitWithAck("suggestions-get", { productId: "KF-HOM-0303", locale: "zh" });
    expect(onPage).toEqual({ ok: true, data: { suggestions: [{ text: "有哪些配件？" }, { text: "噪音有多大？" }, { text: "适用多大面积？" }] } });
    const home = await client.socket.emitWithAck("suggestions-get", { productId: null, locale: "en" });
    expect(home).toEqual({ ok: true, data: { suggestions: [{ text: "What's new?" }] } });
    const chip = await ask(client, "What's new?");
    expect(chip.products!.every((card) => card.isNew)).toBe(true);
    const bad = await client.socket.emitWithAck("suggestions-get", { productId: 7, locale: "fr" } as never);
    expect(bad).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
  });

  it("counts recommendations shown and clicked, once each, for admins", async () => {
    const app = await sampleStore();
    const client = await shopper(app);
    const end = await ask(client, "Do you have an air purifier?");
    const click = () => client.socket.emitWithAck("recommendation-click", { answerId: end.answerId, sku: "KF-HOM-0303" });
    expect(await click()).toEqual({ ok: true, data: { counted: true } });
    expect(await click()).toEqual({ ok: true, data: { counted: false } });
    const unknown = await client.socket.emitWithAck("recommendation-click", { answerId: end.answerId, sku: "KF-KIT-0101" });
    expect(unknown).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await app.app.shopping.counts()).toEqual([{ sku: "KF-HOM-0303", shown: 1, clicked: 1 }]);

    // Admins see them per product, with names, in the dashboard's API; agents do not.
    const admin = (await logIn(app.url, ADMIN.email, ADMIN.password)).token;
    const report = await fetch(`${app.url}/api/admin/recommendations?lang=zh`, { headers: { authorization: `Bearer ${admin}` } });
    expect(await report.json()).toEqual({ products: [{ sku: "KF-HOM-0303", name: "松溪 AP40 HEPA 空气净化器", shown: 1, clicked: 1 }] });
    await app.app.agentAuth.createAgent({ email: "mei@pinebrook.test", name: "Mei", password: "another long passphrase", role: "agent" });
    const agent = (await logIn(app.url, "mei@pinebrook.test", "another long passphrase")).token;
    expect((await fetch(`${app.url}/api/admin/recommendations`, { headers: { authorization: `Bearer ${agent}` } })).status).toBe(403);
    expect((await fetch(`${app.url}/api/admin/recommendations`)).status).toBe(401);
    // Operators scrape them from /metrics.
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/^kefu_recommendations_total\{event="shown",sku="KF-HOM-0303"\} 1$/m);
    expect(metrics).toMatch(/^kefu_recommendations_total\{event="clicked",sku="KF-HOM-0303"\} 1$/m);
  });

  it("answers hostile filters clearly and serves a catalog with markup while rejecting a 5,000-character name", async () => {
    const markup = { sku: "KF-TST-0001", lang: "en", name: "<img src=x onerror=alert(1)> Speaker", category: "Audio", price: 99, currency: "CNY", launchDate: "2026-11-01", attributes: { "Water resistance": "IP67 <b>bold</b>" }, description: "<script>alert(1)</script>", url: "/demo/products/KF-TST-0001" };
    const long = { ...markup, sku: "KF-TST-0002", name: "x".repeat(5000) };
    const app = await sampleStore({ "catalog-markup.jsonl": `${JSON.stringify(markup)}\n`, "catalog-long.jsonl": `${JSON.stringify(long)}\n` });
    const client = await shopper(app);
    const negative = await ask(client, "air purifier with a price under -1e308");
    expect(negative.text).toContain("can't use");
    expect(negative.products).toEqual([]);
    const huge = await ask(client, "speakers under 1e400 yuan");
    expect(huge.products).toEqual([]);
    const end = await ask(client, "Any waterproof speakers under ¥200?");
    expect(end.products?.map((card) => card.sku)).toEqual(["KF-TST-0001"]);
    expect(end.products?.[0]?.name).toBe("<img src=x onerror=alert(1)> Speaker");
    expect(await app.app.knowledge.hasDocument("product:KF-TST-0002:en")).toBe(false);
    // The refusal names the file and line, and the rest of the catalog serves.
    expect(app.app.folder.problems.map((problem) => `${problem.file}:${problem.line}`)).toContain("catalog-long.jsonl:1");

    // A 5,000-character product name typed by a shopper is refused with a coded error, and nothing is lost.
    const tooLong = await client.send(`compare ${"x".repeat(5000)} vs the 8 L air fryer`);
    expect(tooLong).toMatchObject({ ok: false, error: { code: "PAYLOAD_TOO_LARGE" } });
    // A long unknown name within the limit compares nothing that is not in the catalog.
    // A long unknown name within the limit gets a reply (here a hand-off to a person), never a made-up product.
    const other = await shopper(app);
    const sent = await other.send(`compare the ${"Zyx".repeat(600)} vs the 8 L air fryer`);
    if (!sent.ok) throw new Error(JSON.stringify(sent));
    const outcome = await other.waitFor((event) => (event.type === "answer-end" && event.seq > sent.data.seq) || (event.type === "state-changed" && event.state === "waiting"));
    if (outcome.type === "answer-end") expect((outcome.products ?? []).every((card) => card.sku.startsWith("KF-") && !card.name.includes("Zyx"))).toBe(true);
    // The server goes on serving the catalog, markup and all.
    const after = await ask(await shopper(app), "Any waterproof speakers under ¥200?");
    expect(after.products?.map((card) => card.sku)).toEqual(["KF-TST-0001"]);
  });
});
