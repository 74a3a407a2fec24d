import { join } from "node:path";
import { expect, it } from "vitest";
import { PgRecommendationStore } from "../../src/shopping/pg-recommendation-store.ts";
import type { RecommendationStore } from "../../src/shopping/recommendation-store.ts";
import { SqliteRecommendationStore } from "../../src/shopping/sqlite-recommendation-store.ts";
import { describeContract, storeBackends } from "../support/store-backends.ts";

const backends = storeBackends<RecommendationStore>({
  sqlite: (dir) => new SqliteRecommendationStore(join(dir, "shopping.db"), { synchronous: "normal" }),
  postgres: (database) => new PgRecommendationStore(database),
});

describeContract("RecommendationStore", backends, (opened) => {

  it("counts each product once per answer, shown and clicked, most shown first", async () => {
    const store = opened.store;
    const now = new Date("2026-01-01T00:00:00.000Z");
    expect(await store.listCounts()).toEqual([]);
    expect(await store.recordShown("a1", ["SKU-B", "SKU-A"], now)).toEqual(["SKU-B", "SKU-A"]);
    // The same answer shown again (a reload) counts nothing new; a new product in it does.
    expect(await store.recordShown("a1", ["SKU-A", "SKU-C"], now)).toEqual(["SKU-C"]);
    expect(await store.recordShown("a2", ["SKU-A"], now)).toEqual(["SKU-A"]);
    expect(await store.recordClicked("a1", "SKU-A", now)).toBe("counted");
    expect(await store.recordClicked("a1", "SKU-A", now)).toBe("repeat");
    expect(await store.recordClicked("a2", "SKU-B", now)).toBe("unknown");
    expect(await store.listCounts()).toEqual([
      { sku: "SKU-A", shown: 2, clicked: 1 },
      { sku: "SKU-B", shown: 1, clicked: 0 },
      { sku: "SKU-C", shown: 1, clicked: 0 },
    ]);
  });
});
