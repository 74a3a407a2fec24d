import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createSilentLogger } from "../../src/logger.ts";
import type { DraftedLine } from "../../src/shopping/catalog-draft-log.ts";
import { CatalogFaqDrafts, type DraftSink } from "../../src/shopping/catalog-faq-drafts.ts";
import { OfflineFaqDrafter } from "../../src/shopping/faq-drafter.ts";
import { groupEntries, type ProductEntry, type ShopProduct } from "../../src/shopping/shop-product.ts";
import { SqliteCatalogDraftLog } from "../../src/shopping/sqlite-catalog-draft-log.ts";

let dir: string;
let log: SqliteCatalogDraftLog;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "kefu-drafts-"));
  log = new SqliteCatalogDraftLog(join(dir, "catalog-drafts.db"), { synchronous: "normal" });
});
afterEach(async () => {
  await log.close();
  await rm(dir, { recursive: true, force: true });
});

const line = (sku: string, lang: "en" | "zh", capacity: string): ProductEntry => ({
  sku, lang, name: `Kettle ${sku}`, category: "Kitchen", price: 199, currency: "CNY", launchDate: "2026-11-20", attributes: { [lang === "en" ? "Capacity" : "容量"]: capacity }, description: "",
});

it("after a publish looks up and drafts only the lines that changed, never the whole log again", async () => {
  let products: ShopProduct[] = groupEntries(Array.from({ length: 40 }, (_, index) => [line(`SKU-${index}`, "en", "1 L"), line(`SKU-${index}`, "zh", "1 升")]).flat());
  const looked: DraftedLine[][] = [];
  const find = log.find.bind(log);
  log.find = (lines) => (looked.push([...lines]), find(lines));
  const added: string[] = [];
  const withdrawn: string[] = [];
  let nextId = 0;
  const sink: DraftSink = {
    add: async (drafts) => drafts.map((draft) => (added.push(draft.createdBy), `d${(nextId += 1)}`)),
    withdraw: async (ids) => (withdrawn.push(...ids), ids.length),
  };
  const drafts = new CatalogFaqDrafts({ catalog: { products: async () => products }, log, sink, drafter: new OfflineFaqDrafter(), newDays: 30, clock: () => new Date("2026-12-01T00:00:00Z"), logger: createSilentLogger() });

  const first = await drafts.sync();
  expect(first).toMatchObject({ baseline: true, entries: 80 });
  expect(looked.map((lines) => lines.length)).toEqual([80]);
  expect(new Set(added).size).toBe(40);

  // The same line objects (a publish that did not touch them): nothing is looked up or drafted.
  expect(await drafts.sync()).toEqual({ baseline: false, entries: 0, drafts: 0, withdrawn: 0 });
  expect(looked).toHaveLength(1);

  // One product's English line changes; its zh line is the same object.
  const changed = line("SKU-7", "en", "1.5 L");
  products = products.map((product) => (product.sku === "SKU-7" ? { ...product, entries: { ...product.entries, en: changed } } : product));
  added.length = 0;
  const second = await drafts.sync();
  expect(looked[1]).toEqual([changed]);
  expect(second).toMatchObject({ baseline: false, entries: 1 });
  expect(second.withdrawn).toBeGreaterThan(0);
  expect(new Set(added)).toEqual(new Set(["catalog:SKU-7"]));

  // A new line object with the same content (a re-read document): looked up, found unchanged, not drafted again.
  products = products.map((product) => (product.sku === "SKU-7" ? { ...product, entries: { ...product.entries, en: { ...changed } } } : product));
  expect(await drafts.sync()).toMatchObject({ entries: 0, drafts: 0 });
  expect(looked[2]).toHaveLength(1);
});

it("records each batch's lines with their drafts: a pass that fails part-way never drafts a line twice", async () => {
  // Enough lines for several writes of drafts.
  const products = groupEntries(Array.from({ length: 250 }, (_, index) => [line(`SKU-${index}`, "en", "1 L"), line(`SKU-${index}`, "zh", "1 升")]).flat());
  const added: string[] = [];
  let calls = 0;
  let nextId = 0;
  const sink: DraftSink = {
    add: async (drafts) => {
      calls += 1;
      // The second write of the first pass fails (a disk or database error).
      if (calls === 2) throw new Error("disk full");
      return drafts.map((draft) => (added.push(`${draft.createdBy}:${draft.lang}:${draft.question}`), `d${(nextId += 1)}`));
    },
    withdraw: async (ids) => ids.length,
  };
  const drafts = new CatalogFaqDrafts({ catalog: { products: async () => products }, log, sink, drafter: new OfflineFaqDrafter(), newDays: 30, clock: () => new Date("2026-12-01T00:00:00Z"), logger: createSilentLogger() });
  await expect(drafts.sync()).rejects.toThrow("disk full");
  const afterFailure = added.length;
  expect(afterFailure).toBeGreaterThan(0);
  await drafts.sync();
  // Every line drafted once: the first batch was recorded with its drafts, so the second pass skips it.
  expect(added.length).toBeGreaterThan(afterFailure);
  expect(new Set(added).size).toBe(added.length);
});

it("after a publish looks only at the products the catalog says changed, and at them again after a pass that failed", async () => {
  const first: ShopProduct[] = groupEntries(Array.from({ length: 20 }, (_, index) => [line(`SKU-${index}`, "en", "1 L"), line(`SKU-${index}`, "zh", "1 升")]).flat());
  const changedProduct = { ...first[3]!, entries: { ...first[3]!.entries, en: line(first[3]!.sku, "en", "2 L") } };
  const second = first.map((product) => (product.sku === changedProduct.sku ? changedProduct : product));
  // The whole list after the publish must not be walked: the catalog knows what changed.
  Object.defineProperty(second, Symbol.iterator, { value: () => { throw new Error("the whole catalog was walked"); } });
  let products = first;
  const catalog = {
    products: async () => products,
    changeBetween: (before: readonly ShopProduct[], after: readonly ShopProduct[]) =>
      before === after ? { upserts: [], removed: [] } : before === first && after === second ? { upserts: [changedProduct], removed: [] } : null,
  };
  let failNext = false;
  const added: string[] = [];
  let nextId = 0;
  const sink: DraftSink = {
    add: async (drafts) => {
      if (failNext) throw new Error("the drafts list is away");
      return drafts.map((draft) => (added.push(draft.createdBy), `d${(nextId += 1)}`));
    },
    withdraw: async (ids) => ids.length,
  };
  const drafts = new CatalogFaqDrafts({ catalog, log, sink, drafter: new OfflineFaqDrafter(), newDays: 30, clock: () => new Date("2026-12-01T00:00:00Z"), logger: createSilentLogger() });
  expect(await drafts.sync()).toMatchObject({ entries: 40 });

  products = second;
  failNext = true;
  await expect(drafts.sync()).rejects.toThrow("the drafts list is away");
  failNext = false;
  added.length = 0;
  expect(await drafts.sync()).toMatchObject({ baseline: false, entries: 1 });
  expect(added).toEqual(expect.arrayContaining([`catalog:${changedProduct.sku}`]));
  expect(new Set(added).size).toBe(1);
  expect(await drafts.sync()).toEqual({ baseline: false, entries: 0, drafts: 0, withdrawn: 0 });
});
