import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Draft } from "../../src/knowledge/curation-store.ts";
import { logIn } from "../support/agent-client.ts";
import { FakeLlmServer } from "../support/fake-llm-server.ts";
import { Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

const SAMPLE_STORE = new URL("../../knowledge/", import.meta.url).pathname;
const ADMIN = { email: "admin@pinebrook.test", password: "correct horse battery" };
/** The sample store's "today": products launched since 2026-08-24 count as new (90 days). */
const TODAY = new Date("2026-11-22T10:00:00Z");

let server: TestApp | undefined;
let llm: FakeLlmServer | undefined;
let folder: string | undefined;
let token = "";

afterEach(async () => {
  await server?.close();
  server = undefined;
  await llm?.close();
  llm = undefined;
  if (folder) await rm(folder, { recursive: true, force: true });
  folder = undefined;
});

async function start(env: Record<string, string> = {}, options: { sync: boolean } = { sync: true }): Promise<TestApp> {
  folder = await mkdtemp(join(tmpdir(), "kefu-drafts-"));
  await cp(SAMPLE_STORE, folder, { recursive: true });
  server = await startTestApp({ knowledgeDir: folder, env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, ...env }, overrides: { clock: () => TODAY } });
  token = (await logIn(server.url, ADMIN.email, ADMIN.password)).token;
  if (options.sync) await server.app.catalogDrafts.sync();
  return server;
}

async function api<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server!.url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
}

const drafts = async (status?: Draft["status"]) => (await api<{ drafts: Draft[] }>(`/api/admin/knowledge/drafts${status ? `?status=${status}` : ""}`)).drafts;
const of = (list: Draft[], sku: string, lang?: "zh" | "en") => list.filter((draft) => draft.createdBy === `catalog:${sku}` && (!lang || draft.lang === lang));

const skillet = {
  type: "product", sku: "KF-KIT-0101", lang: "en", name: "Pinebrook Pre-Seasoned Cast Iron Skillet 26 cm", category: "Kitchen & Cookware", price: 229, currency: "CNY", launchDate: "2024-03-15",
  attributes: { Diameter: "26 cm", Weight: "2.6 kg", Warranty: "10 years" }, description: "A heavy 26 cm cast iron skillet.", url: "/demo/products/KF-KIT-0101",
};

describe("FAQ drafts from the catalog", () => {
  it("drafts zh and en Q/A for new products into the drafts list, and for a product once it changes", async () => {
    await start();
    const first = await drafts("draft");
    // New products (launched in the last 90 days) are drafted in both languages; older ones are only noted.
    const purifierEn = of(first, "KF-HOM-0303", "en");
    const purifierZh = of(first, "KF-HOM-0303", "zh");
    expect(purifierEn.map((draft) => draft.question)).toContain("How loud is the Pinebrook AP40 HEPA Air Purifier?");
    expect(purifierEn.find((draft) => draft.question === "How loud is the Pinebrook AP40 HEPA Air Purifier?")!.answer).toContain("22 dB");
    expect(purifierZh.map((draft) => draft.question)).toContain("松溪 AP40 HEPA 空气净化器适用多大面积？");
    expect(purifierZh.every((draft) => draft.conversationId === null && draft.status === "draft")).toBe(true);
    expect(of(first, "KF-KIT-0101")).toEqual([]);

    // A second look at an unchanged catalog drafts nothing more.
    expect(await server!.app.catalogDrafts.sync()).toEqual({ baseline: false, entries: 0, drafts: 0, withdrawn: 0 });

    // An older product that changes is drafted; its other language, unchanged, is not.
    await api("/api/admin/knowledge/changes", { documents: [skillet] });
    await server!.app.catalogDrafts.sync();
    const changed = of(await drafts("draft"), "KF-KIT-0101");
    expect(changed.map((draft) => [draft.lang, draft.question])).toContainEqual(["en", "How much does the Pinebrook Pre-Seasoned Cast Iron Skillet 26 cm cost?"]);
    expect(changed.find((draft) => draft.question.startsWith("How much"))!.answer).toContain("¥229");
    expect(changed.every((draft) => draft.lang === "en")).toBe(true);

    // It changes again: the unreviewed drafts of the old version are withdrawn, a published one stays.
    const kept = changed.find((draft) => draft.question.startsWith("How heavy"))!;
    await api(`/api/admin/knowledge/drafts/${kept.id}/publish`, {});
    await api("/api/admin/knowledge/changes", { documents: [{ ...skillet, price: 199 }] });
    // (The publish already started drafting by itself; this waits for it.)
    await server!.app.catalogDrafts.sync();
    const now = of(await drafts(), "KF-KIT-0101");
    expect(now.find((draft) => draft.id === kept.id)!.status).toBe("published");
    expect(now.filter((draft) => draft.status === "dismissed")).toHaveLength(changed.length - 1);
    expect(now.filter((draft) => draft.status === "draft").find((draft) => draft.question.startsWith("How much"))!.answer).toContain("¥199");
  });

  it("drafts nothing when CATALOG_FAQ_DRAFTS is off", async () => {
    await start({ CATALOG_FAQ_DRAFTS: "off" }, { sync: false });
    await api("/api/admin/knowledge/changes", { documents: [{ ...skillet, price: 199 }] });
    await server!.app.catalogDrafts.idle();
    expect((await drafts()).filter((draft) => draft.createdBy.startsWith("catalog:"))).toEqual([]);
  });

  it("a published draft answers the question it drafted, from any page", async () => {
    await start();
    const draft = of(await drafts("draft"), "KF-HOM-0303", "en").find((item) => item.question === "How big a room is the Pinebrook AP40 HEPA Air Purifier for?")!;
    await api(`/api/admin/knowledge/drafts/${draft.id}/publish`, {});
    const shopper = new Shopper(server!.url);
    try {
      await shopper.start({ locale: "en" });
      const sent = await shopper.send(draft.question);
      if (!sent.ok) throw new Error(JSON.stringify(sent));
      const end = await shopper.answerTo(sent.data.seq);
      expect(end.text).toContain("25–40 m²");
    } finally {
      shopper.close();
    }
  });

  it("drafts with the LLM when asked to and one is configured: only pairs grounded in the catalog, and offline drafts when the model fails", async () => {
    llm = await FakeLlmServer.start();
    llm.respondWith((request) => {
      const prompt = request.body.messages.map((message) => message.content).join("\n");
      if (!prompt.includes("draft FAQ entries")) return { reply: "VERDICT: ANSWERED\nOK [1]" };
      if (prompt.includes("Name: 松溪")) return { reply: "", fault: "status", status: 500 };
      return { reply: '[{"question": "Is the lantern good for camping?", "answer": "Yes, it runs 48 hours on one charge."}, {"question": "Does it float?", "answer": "It floats for 30 minutes."}]' };
    });
    await start({ LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: "not-needed", LLM_MODEL: "fake", LLM_TIMEOUT_SECONDS: "5", LLM_MAX_RETRIES: "0", SHOPPING_NEW_DAYS: "1", CATALOG_FAQ_DRAFTS: "llm" });
    // Nothing launched yesterday or today: the first look drafts nothing.
    expect(of(await drafts(), "T-LANTERN-9")).toEqual([]);
    const lantern = { type: "product", sku: "T-LANTERN-9", lang: "en", name: "Firefly Solar Lantern", category: "Outdoor", price: 159, currency: "CNY", launchDate: "2026-11-20", attributes: { Runtime: "48 hours on one charge" }, description: "A solar lantern.", url: null };
    await api("/api/admin/knowledge/changes", { documents: [lantern, { ...lantern, lang: "zh", name: "松溪萤火虫营地灯", attributes: { 续航: "48 小时" } }] });
    await server!.app.catalogDrafts.sync();
    const made = of(await drafts("draft"), "T-LANTERN-9");
    // The model's grounded pair is kept, the one with an invented number dropped.
    expect(made.filter((draft) => draft.lang === "en").map((draft) => draft.question)).toEqual(["Is the lantern good for camping?"]);
    // The model failed for the zh line: drafted offline from its attributes instead.
    expect(made.filter((draft) => draft.lang === "zh").map((draft) => draft.question).sort()).toEqual(["松溪萤火虫营地灯多少钱？", "松溪萤火虫营地灯的续航有多久？"].sort());
    const prompts = llm.requests.filter((request) => request.body.messages.some((message) => message.content.includes("draft FAQ entries")));
    expect(prompts[0]!.body.messages.at(-1)!.content).toContain("<product>\nName: Firefly Solar Lantern");
  });
});
