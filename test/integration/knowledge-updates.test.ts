import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { logIn } from "../support/agent-client.ts";
import { Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

const ADMIN = { email: "admin@pinebrook.test", password: "correct horse battery" };
let server: TestApp;
let token: string;
const shoppers: Shopper[] = [];

afterEach(async () => {
  for (const client of shoppers.splice(0)) client.close();
  await server?.close();
});

async function start(env: Record<string, string> = {}) {
  server = await startTestApp({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, ...env } });
  token = (await logIn(server.url, ADMIN.email, ADMIN.password)).token;
}

function api(path: string, init: { method?: string; body?: unknown; text?: string } = {}) {
  return fetch(`${server.url}${path}`, {
    method: init.method ?? (init.body !== undefined || init.text !== undefined ? "POST" : "GET"),
    headers: { authorization: `Bearer ${token}`, ...(init.body !== undefined ? { "content-type": "application/json" } : { "content-type": "text/plain" }) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : init.text !== undefined ? { body: init.text } : {}),
  });
}

/** Ask in a new conversation and return the bot's answer, or the hand-off. */
async function ask(question: string, productId?: string) {
  const client = new Shopper(server.url);
  shoppers.push(client);
  await client.start({ locale: "en", ...(productId ? { productId } : {}) });
  await client.send(question);
  const outcome = await client.waitFor((event) => event.type === "answer-end" || (event.type === "state-changed" && event.state === "waiting"));
  client.close();
  return outcome.type === "answer-end" ? { answered: true as const, text: outcome.text, documents: outcome.citations.map((citation) => citation.documentId), version: outcome.knowledgeVersion } : { answered: false as const };
}

const lantern = {
  type: "product", sku: "T-LANTERN-9", lang: "en", name: "Firefly Solar Lantern", category: "Outdoor", price: 159, currency: "CNY", launchDate: "2026-11-20",
  attributes: { Battery: "runs 48 hours on one charge", Charging: "solar panel or USB-C" }, description: "A collapsible solar lantern for camping, waterproof to IPX6.",
};

describe("knowledge updates while running", () => {
  it("adds, changes and deletes a product through the admin API, answered with no restart", async () => {
    await start();
    expect((await ask("How long does the Firefly solar lantern battery last?")).answered).toBe(false);

    const added = await api("/api/admin/knowledge/changes", { body: { documents: [lantern] } });
    expect(added.status).toBe(200);
    const { report } = (await added.json()) as { report: { version: number; added: number } };
    expect(report.added).toBe(1);
    const first = await ask("How long does the Firefly solar lantern battery last?");
    expect(first).toMatchObject({ answered: true, version: report.version });
    expect(first.answered && first.text).toContain("48 hours");
    expect(first.answered && first.documents[0]).toBe("product:T-LANTERN-9:en");

    await api("/api/admin/knowledge/changes", { body: { documents: [{ ...lantern, attributes: { ...lantern.attributes, Battery: "runs 72 hours on one charge" } }] } });
    const changed = await ask("How long does the Firefly solar lantern battery last?");
    expect(changed.answered && changed.text).toContain("72 hours");

    const removed = await api(`/api/admin/knowledge/documents/${encodeURIComponent("product:T-LANTERN-9:en")}`, { method: "DELETE" });
    expect(removed.status).toBe(200);
    const after = await ask("How long does the Firefly solar lantern battery last?");
    expect(after.answered ? after.documents : []).not.toContain("product:T-LANTERN-9:en");
  });

  it("picks up a changed knowledge file while running", async () => {
    await start();
    await writeFile(join(server.knowledgeDir, "lantern.jsonl"), `${JSON.stringify({ ...lantern, type: undefined })}\n`);
    await expect.poll(async () => server.app.knowledge.hasDocument("product:T-LANTERN-9:en"), { timeout: 10_000 }).toBe(true);
    const answer = await ask("How long does the Firefly solar lantern battery last?");
    expect(answer.answered && answer.text).toContain("48 hours");
    await rm(join(server.knowledgeDir, "lantern.jsonl"));
    await expect.poll(async () => server.app.knowledge.hasDocument("product:T-LANTERN-9:en"), { timeout: 10_000 }).toBe(false);
  });

  it("adds, changes and deletes a product with kefu ingest --server, answered with no restart", async () => {
    await start();
    const folder = join(await mkdtemp(join(tmpdir(), "kefu-ingest-")), "outdoor");
    await mkdir(folder);
    const line = (battery: string) => `${JSON.stringify({ ...lantern, type: undefined, attributes: { ...lantern.attributes, Battery: battery } })}\n`;
    const ingest = () =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ["src/cli.ts", "ingest", "--dir", folder, "--server", server.url], {
          cwd: new URL("../../", import.meta.url).pathname,
          env: { KEFU_ADMIN_EMAIL: ADMIN.email, KEFU_ADMIN_PASSWORD: ADMIN.password },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });
    try {
      await writeFile(join(folder, "lantern.jsonl"), line("runs 48 hours on one charge"));
      expect(await ingest()).toMatchObject({ code: 0 });
      const first = await ask("How long does the Firefly solar lantern battery last?");
      expect(first.answered && first.text).toContain("48 hours");

      await writeFile(join(folder, "lantern.jsonl"), line("runs 60 hours on one charge"));
      expect((await ingest()).code).toBe(0);
      const changed = await ask("How long does the Firefly solar lantern battery last?");
      expect(changed.answered && changed.text).toContain("60 hours");

      await writeFile(join(folder, "lantern.jsonl"), "");
      expect((await ingest()).code).toBe(0);
      expect(await server.app.knowledge.hasDocument("product:T-LANTERN-9:en")).toBe(false);
      // Documents published another way are not touched by a folder's ingest.
      expect(await server.app.knowledge.hasDocument("faq:shipping:en")).toBe(true);

      await writeFile(join(folder, "lantern.jsonl"), "not json\n");
      const refused = await ingest();
      expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining("lantern.jsonl") });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("refuses a broken upload with file, line and reason, and keeps answering from the served version", async () => {
    await start();
    const version = await server.app.knowledge.version();
    const upload = await api("/api/admin/knowledge/upload?filename=new-products.jsonl", { text: `${JSON.stringify({ ...lantern, type: undefined })}\n{"sku":"BAD","lang":"en"}\n` });
    expect(upload.status).toBe(422);
    const body = (await upload.json()) as { error: { code: string; message: string; details: { problems: { file: string; line: number }[] } } };
    expect(body.error.code).toBe("KNOWLEDGE_INVALID");
    expect(body.error.details.problems[0]).toMatchObject({ file: "new-products.jsonl", line: 2 });
    expect(await server.app.knowledge.version()).toBe(version);
    expect(await server.app.knowledge.hasDocument("product:T-LANTERN-9:en")).toBe(false);
    const answer = await ask("How long does delivery take?");
    expect(answer.answered && answer.text).toContain("2 to 4 days");

    const good = await api("/api/admin/knowledge/upload?filename=new-products.jsonl", { text: `${JSON.stringify({ ...lantern, type: undefined })}\n` });
    expect(good.status).toBe(200);
    expect(await server.app.knowledge.hasDocument("product:T-LANTERN-9:en")).toBe(true);
  });

  it("keeps a history of versions and rolls back to an earlier one", async () => {
    await start();
    const before = await server.app.knowledge.version();
    await api("/api/admin/knowledge/changes", { body: { documents: [lantern] } });
    await api("/api/admin/knowledge/changes", { body: { documents: [], delete: ["faq:shipping:en"] } });
    expect((await ask("How long does delivery take?")).answered).toBe(false);
    const versions = (await (await api("/api/admin/knowledge/versions")).json()) as { current: number; versions: { version: number; origin: string }[] };
    expect(versions.versions.map((entry) => entry.version)).toEqual([before + 2, before + 1, before]);

    const rolledBack = await api(`/api/admin/knowledge/versions/${before}/rollback`, { method: "POST" });
    expect(rolledBack.status).toBe(200);
    expect(await server.app.knowledge.version()).toBe(before + 3);
    expect(await server.app.knowledge.hasDocument("product:T-LANTERN-9:en")).toBe(false);
    const answer = await ask("How long does delivery take?");
    expect(answer.answered && answer.text).toContain("2 to 4 days");
    // The rollback holds across a restart: unchanged files are not ingested again.
    server = await server.restart();
    expect(await server.app.knowledge.hasDocument("faq:shipping:en")).toBe(true);
    expect(await server.app.knowledge.version()).toBe(before + 3);
  });

  it("flags a removed fact in the regression check before it goes live", async () => {
    await start({ KNOWLEDGE_CHECK_ON_PUBLISH: "true" });
    await api("/api/admin/knowledge/golden", { method: "PUT", body: { questions: [{ question: "How long does delivery take?" }, { question: "Is shipping free?" }] } });
    const refused = await api("/api/admin/knowledge/changes", { body: { delete: ["faq:shipping:en"] } });
    expect(refused.status).toBe(409);
    const result = (await refused.json()) as { published: boolean; check: { newlyHandedOff: number; lostDocuments: string[]; changed: { question: string; before: { answered: boolean }; after: { answered: boolean } }[] } };
    expect(result.published).toBe(false);
    expect(result.check.lostDocuments).toContain("faq:shipping:en");
    expect(result.check.changed.find((change) => change.question === "How long does delivery take?")).toMatchObject({ before: { answered: true }, after: { answered: false } });
    expect(await server.app.knowledge.hasDocument("faq:shipping:en")).toBe(true);
    const forced = await api("/api/admin/knowledge/changes", { body: { delete: ["faq:shipping:en"], force: true } });
    expect(forced.status).toBe(200);
    expect(await server.app.knowledge.hasDocument("faq:shipping:en")).toBe(false);
  });

  it("turns an agent's answer to a handed-off question into a FAQ entry the bot then cites", async () => {
    await start();
    const question = "Do you offer gift wrapping for orders?";
    expect((await ask(question)).answered).toBe(false);
    expect((await ask("Can you gift wrap my order?")).answered).toBe(false);
    const gaps = (await (await api("/api/admin/knowledge/gaps")).json()) as { groups: { label: string; count: number }[] };
    expect(gaps.groups[0]).toMatchObject({ count: 2 });

    const draft = await api("/api/agent/knowledge/drafts", { body: { question, answer: "Yes. Gift wrapping costs ¥10 per order and includes a handwritten card." } });
    expect(draft.status).toBe(201);
    const { draft: created } = (await draft.json()) as { draft: { id: string } };
    await api(`/api/admin/knowledge/drafts/${created.id}`, { method: "PUT", body: { answer: "Yes. Gift wrapping costs ¥12 per order and includes a handwritten card." } });
    const published = await api(`/api/admin/knowledge/drafts/${created.id}/publish`, { method: "POST" });
    expect(published.status).toBe(200);
    const answer = await ask("Do you offer gift wrapping?");
    expect(answer.answered && answer.text).toContain("¥12");
    expect(answer.answered && answer.documents[0]).toMatch(/^faq:learned-/);
  });

  it("refuses the knowledge API to agents who are not admins", async () => {
    await start();
    await server.app.agentAuth.createAgent({ email: "mei@pinebrook.test", name: "Mei", password: "another long password", role: "agent" });
    token = (await logIn(server.url, "mei@pinebrook.test", "another long password")).token;
    expect((await api("/api/admin/knowledge/changes", { body: { documents: [lantern] } })).status).toBe(403);
    expect((await api("/api/agent/knowledge/drafts", { body: { question: "q?", answer: "a." } })).status).toBe(201);
  });
});
