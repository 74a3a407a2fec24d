import { describe, expect, it } from "vitest";
import { applyCatalogChange, catalogChange } from "../../src/shopping/catalog-change.ts";
import { CatalogLines, type CatalogLine } from "../../src/shopping/catalog-lines.ts";
import { groupEntries, type ProductEntry, type ShopProduct } from "../../src/shopping/shop-product.ts";

/** A small seeded generator, so a failing run can be replayed. */
function random(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % below;
  };
}

const SKUS = 40;
/** Product documents: each SKU's two lines, and for a few SKUs a second English line from another source (the later id wins). */
const ids = Array.from({ length: SKUS }, (_, index) => [`product:KF-${index}:en`, `product:KF-${index}:zh`, ...(index % 7 === 0 ? [`product:KF-${index}:en~import`] : [])]).flat();

function lineFor(id: string, stamp: number): CatalogLine {
  const [, sku, lang] = id.split(":") as [string, string, string];
  // Now and then a product document without a catalog line.
  if (stamp % 11 === 0) return { hash: `h${stamp}`, entry: null };
  const entry: ProductEntry = { sku, lang: lang.startsWith("en") ? "en" : "zh", name: `${sku} ${lang} v${stamp}`, category: "Kitchen", price: stamp, currency: "CNY", launchDate: "2026-01-01", attributes: {}, description: "", url: null };
  return { hash: `h${stamp}`, entry };
}

/** The products grouped from scratch, as from every line in document id order. */
function fromScratch(lines: Map<string, CatalogLine>): ShopProduct[] {
  return groupEntries([...lines.keys()].sort().flatMap((id) => (lines.get(id)!.entry ? [lines.get(id)!.entry!] : [])));
}

describe("the catalog's lines, kept up to date from the documents that changed", () => {
  it("gives the same products as grouping every line again, after any run of random edits; the products not touched stay the same objects", async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const next = random(seed);
      const catalog = new CatalogLines();
      const current = new Map<string, CatalogLine>();
      let stamp = 1;
      for (let round = 0; round < 30; round += 1) {
        const changed = new Map<string, CatalogLine | null>();
        // The first round adds most documents; later ones edit, add and delete a few.
        const edits = round === 0 ? ids.length : 1 + next(6);
        for (let edit = 0; edit < edits; edit += 1) {
          const id = round === 0 ? ids[edit]! : ids[next(ids.length)]!;
          const line = round > 0 && current.has(id) && next(3) === 0 ? null : lineFor(id, (stamp += 1));
          changed.set(id, line);
        }
        const before = catalog.products;
        const updates = await catalog.apply(changed);
        for (const [id, line] of changed) line ? current.set(id, line) : current.delete(id);

        const after = catalog.products;
        expect(after, `seed ${seed}, round ${round}`).toEqual(fromScratch(current));
        const bySku = new Map(before.map((product) => [product.sku, product]));
        for (const product of after) if (!updates.has(product.sku)) expect(product).toBe(bySku.get(product.sku));
        // The updates, as a change, turn the products before into the products after.
        const upserts = [...updates.values()].filter((product): product is ShopProduct => product !== null);
        const removed = [...updates].flatMap(([sku, product]) => (product ? [] : [sku]));
        expect(applyCatalogChange(before, { from: 0, upserts, removed })).toEqual(after);
        // And hold at least what comparing the two lists finds.
        const compared = await catalogChange({ generation: 0, products: before }, after);
        if (compared) {
          expect(upserts.map((product) => product.sku)).toEqual(expect.arrayContaining(compared.upserts.map((product) => product.sku)));
          expect([...removed].sort()).toEqual([...compared.removed].sort());
        }
      }
    }
  });

  it("keeps the same list of products when nothing that makes a product changed", async () => {
    const catalog = new CatalogLines();
    await catalog.apply(new Map([["product:KF-1:en", lineFor("product:KF-1:en", 1)]]));
    const before = catalog.products;
    expect((await catalog.apply(new Map([["product:KF-2:en", null]]))).size).toBe(0);
    expect(catalog.products).toBe(before);
  });
});
