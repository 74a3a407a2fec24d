import { join } from "node:path";
import { expect, it } from "vitest";
import type { CatalogDraftLog, DraftedEntry } from "../../src/shopping/catalog-draft-log.ts";
import { PgCatalogDraftLog } from "../../src/shopping/pg-catalog-draft-log.ts";
import { SqliteCatalogDraftLog } from "../../src/shopping/sqlite-catalog-draft-log.ts";
import { describeContract, storeBackends } from "../support/store-backends.ts";

const backends = storeBackends<CatalogDraftLog>({
  sqlite: (dir) => new SqliteCatalogDraftLog(join(dir, "catalog-drafts.db"), { synchronous: "normal" }),
  postgres: (database) => new PgCatalogDraftLog(database),
});

const entry = (sku: string, lang: "zh" | "en", hash: string, draftIds: string[]): DraftedEntry => ({ sku, lang, hash, draftIds, at: "2026-01-01T00:00:00.000Z" });

describeContract("CatalogDraftLog", backends, (opened, backend) => {

  it("records catalog lines by product and language, a newer record replacing the older", async () => {
    const log = opened.store;
    expect(await log.isEmpty()).toBe(true);
    expect(await log.find([{ sku: "SKU-1", lang: "en" }])).toEqual(new Map());
    await log.record([entry("SKU-1", "en", "h1", ["d1", "d2"]), entry("SKU-1", "zh", "h2", [])]);
    await log.record([entry("SKU-1", "en", "h3", ["d4"])]);
    await log.record([]);
    expect(await log.isEmpty()).toBe(false);
    expect(await log.find([{ sku: "SKU-1", lang: "en" }, { sku: "SKU-1", lang: "zh" }, { sku: "SKU-2", lang: "en" }])).toEqual(
      new Map([
        ["SKU-1:en", entry("SKU-1", "en", "h3", ["d4"])],
        ["SKU-1:zh", entry("SKU-1", "zh", "h2", [])],
      ]),
    );
    expect(await log.find([])).toEqual(new Map());
  });

  it("records a large catalog's lines in full and finds any of them (written and read in parts)", async () => {
    const log = opened.store;
    const lines = Array.from({ length: 1_201 }, (_, index) => entry(`SKU-${index}`, index % 2 ? "zh" : "en", `h${index}`, index % 3 ? [`d${index}`] : []));
    await log.record(lines);
    await log.record([entry("SKU-7", "zh", "changed", ["d-new"])]);
    const found = await log.find(lines.map(({ sku, lang }) => ({ sku, lang })));
    expect(found.size).toBe(1_201);
    expect(found.get("SKU-0:en")).toEqual(lines[0]);
    expect(found.get("SKU-1200:en")).toEqual(lines[1_200]);
    expect(found.get("SKU-7:zh")).toEqual(entry("SKU-7", "zh", "changed", ["d-new"]));
    // A line is found by product and language together.
    expect([...(await log.find([{ sku: "SKU-0", lang: "zh" }, { sku: "SKU-1", lang: "zh" }])).keys()]).toEqual(["SKU-1:zh"]);
  });

  it("runs exclusive work one at a time, and returns what it returns", async () => {
    const log = opened.store;
    let inside = 0;
    let most = 0;
    const work = async (index: number) => {
      inside += 1;
      most = Math.max(most, inside);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inside -= 1;
      return index;
    };
    // SQLite's log belongs to one server, which already drafts one pass at a time; Postgres's is shared and locks.
    const results = backend.name === "sqlite" ? [await log.exclusive(() => work(0)), await log.exclusive(() => work(1))] : await Promise.all([0, 1, 2].map((index) => log.exclusive(() => work(index))));
    expect(results).toEqual(backend.name === "sqlite" ? [0, 1] : [0, 1, 2]);
    expect(most).toBe(1);
  });
});
