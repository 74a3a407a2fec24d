import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

let server: TestApp;
afterEach(async () => server?.close());

describe("knowledge ingestion", () => {
  it("rejects a broken file with its file and line, and serves the rest", async () => {
    server = await startTestApp();
    const first = await server.app.ready;
    expect(first.problems).toEqual([]);
    await writeFile(join(server.knowledgeDir, "broken.jsonl"), '{"sku":"B-1","lang":"en","name":"Fine","category":"X","price":1,"launchDate":"2026-01-01"}\n{"sku":"B-2","lang":"en","name":"No price","category":"X","launchDate":"2026-01-01"}\n');
    await writeFile(join(server.knowledgeDir, "faq", "bad.md"), "no front matter here\n");
    server = await server.restart();
    const report = await server.app.ready;
    expect(report.problems).toEqual([
      { file: "broken.jsonl", line: 2, message: expect.stringContaining("price") },
      { file: "faq/bad.md", line: 1, message: expect.stringContaining("front matter") },
    ]);
    // The good line of a rejected file is not ingested; the other files still answer.
    expect(await server.app.knowledge.hasDocument("product:B-1:en")).toBe(false);
    const client = new Shopper(server.url);
    await client.start();
    await client.send("How long does delivery take?");
    expect((await client.answerTo(1)).text).toContain("2 to 4 days");
    client.close();
  });

  it("keeps the documents of a file that later breaks", async () => {
    server = await startTestApp();
    const catalog = join(server.knowledgeDir, "catalog.jsonl");
    await writeFile(catalog, `${await readFile(catalog, "utf8")}not json\n`);
    server = await server.restart();
    const report = await server.app.ready;
    expect(report.problems).toEqual([{ file: "catalog.jsonl", line: 5, message: expect.stringContaining("not valid JSON") }]);
    expect(report.removed).toBe(0);
    expect(await server.app.knowledge.hasDocument("product:T-KETTLE-1:en")).toBe(true);
  });

  it("re-ingests only what changed and reuses the saved index when nothing did", async () => {
    server = await startTestApp();
    const first = await server.app.ready;
    expect(first.added).toBe(6);
    const indexFile = join(server.dataDir, "vectors.hnsw");
    const savedAt = (await stat(indexFile)).mtimeMs;

    server = await server.restart();
    const second = await server.app.ready;
    expect(second).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 6, version: first.version });
    expect((await stat(indexFile)).mtimeMs).toBe(savedAt);

    const faq = join(server.knowledgeDir, "faq", "shipping-en.md");
    await writeFile(faq, (await readFile(faq, "utf8")).replace("2 to 4 days", "1 to 2 days"));
    server = await server.restart();
    const third = await server.app.ready;
    expect(third).toMatchObject({ added: 0, updated: 1, removed: 0, unchanged: 5, version: first.version + 1 });
    const client = new Shopper(server.url);
    await client.start();
    await client.send("How long does delivery take?");
    const end = await client.answerTo(1);
    expect(end.text).toContain("1 to 2 days");
    expect(end.knowledgeVersion).toBe(first.version + 1);
    client.close();
  });

  it("reports readiness and health over HTTP", async () => {
    server = await startTestApp();
    expect(await (await fetch(`${server.url}/healthz`)).json()).toMatchObject({ status: "ok", botQueue: { waiting: 0 } });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", passages: expect.any(Number) });
  });
});
