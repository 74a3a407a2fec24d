import { join } from "node:path";
import { expect, it } from "vitest";
import type { CurationStore, Draft } from "../../src/knowledge/curation-store.ts";
import { PgCurationStore } from "../../src/knowledge/pg-curation-store.ts";
import { SqliteCurationStore } from "../../src/knowledge/sqlite-curation-store.ts";
import { describeContract, storeBackends } from "../support/store-backends.ts";

const backends = storeBackends<CurationStore>({
  sqlite: (dir) => new SqliteCurationStore(join(dir, "curation.db"), { synchronous: "normal" }),
  postgres: (database) => new PgCurationStore(database),
});

const draft = (id: string, createdAt: string, status: Draft["status"] = "draft"): Draft => ({
  id, question: `Q ${id}?`, answer: `A ${id}.`, lang: "en", conversationId: null, createdBy: "mei@shop.test", status, documentId: null, createdAt, updatedAt: createdAt,
});

describeContract("CurationStore", backends, (opened) => {

  it("keeps drafts, lists them newest first by status, and updates them", async () => {
    const store = opened.store;
    await store.addDrafts([draft("d1", "2026-01-01T00:00:00.000Z")]);
    await store.addDrafts([{ ...draft("d2", "2026-01-02T00:00:00.000Z"), conversationId: "c1", lang: "zh" }, draft("d3", "2026-01-03T00:00:00.000Z", "dismissed")]);
    await store.addDrafts([]);
    expect(await store.getDraft("d2")).toEqual({ ...draft("d2", "2026-01-02T00:00:00.000Z"), conversationId: "c1", lang: "zh" });
    await expect(store.getDraft("nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await store.listDrafts()).map((entry) => entry.id)).toEqual(["d3", "d2", "d1"]);
    expect((await store.listDrafts("draft")).map((entry) => entry.id)).toEqual(["d2", "d1"]);
    const updated = await store.updateDraft("d1", { status: "published", documentId: "faq:learned:en", answer: "Better." }, "2026-01-04T00:00:00.000Z");
    expect(updated).toEqual({ ...draft("d1", "2026-01-01T00:00:00.000Z"), status: "published", documentId: "faq:learned:en", answer: "Better.", updatedAt: "2026-01-04T00:00:00.000Z" });
    expect(await store.getDraft("d1")).toEqual(updated);
    await expect(store.updateDraft("nope", { status: "dismissed" }, "2026-01-04T00:00:00.000Z")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("adds several drafts as one write: all of them, or none when one of them cannot be added", async () => {
    const store = opened.store;
    await store.addDrafts([draft("d1", "2026-01-01T00:00:00.000Z")]);
    await expect(store.addDrafts([draft("d2", "2026-01-02T00:00:00.000Z"), draft("d1", "2026-01-03T00:00:00.000Z")])).rejects.toThrow();
    expect((await store.listDrafts()).map((entry) => entry.id)).toEqual(["d1"]);
  });

  it("withdraws, in one write, only the drafts nobody has reviewed yet", async () => {
    const store = opened.store;
    await store.addDrafts([draft("d1", "2026-01-01T00:00:00.000Z"), draft("d2", "2026-01-02T00:00:00.000Z"), draft("d3", "2026-01-03T00:00:00.000Z", "published")]);
    const now = "2026-01-05T00:00:00.000Z";
    expect((await store.withdrawDrafts(["d1", "d3", "nope", "d2"], now)).sort()).toEqual(["d1", "d2"]);
    expect(await store.getDraft("d1")).toEqual({ ...draft("d1", "2026-01-01T00:00:00.000Z"), status: "dismissed", updatedAt: now });
    expect((await store.getDraft("d3")).status).toBe("published");
    expect(await store.withdrawDrafts(["d1"], now)).toEqual([]);
    expect(await store.withdrawDrafts([], now)).toEqual([]);
  });

  it("replaces the golden questions as a whole, keeping their order", async () => {
    const store = opened.store;
    expect(await store.listGolden()).toEqual([]);
    const at = "2026-01-01T00:00:00.000Z";
    const entries = ["zeta", "alpha", "mu"].map((id, index) => ({ id, question: `question ${index}`, productId: index === 1 ? "p-1" : null, createdAt: at }));
    await store.replaceGolden(entries);
    expect(await store.listGolden()).toEqual(entries);
    await store.replaceGolden(entries.slice(2));
    expect(await store.listGolden()).toEqual(entries.slice(2));
    await store.replaceGolden([]);
    expect(await store.listGolden()).toEqual([]);
  });
});
