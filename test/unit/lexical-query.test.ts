import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { searchPassageTerms } from "../../src/retrieval/lexical-query.ts";
import { lexicalTerms, segmentWords } from "../../src/text/segment.ts";

function database(rows: string[]): DatabaseSync {
  const db = new DatabaseSync(":memory:");
  db.exec("CREATE TABLE passages (label INTEGER PRIMARY KEY, product_id TEXT); CREATE VIRTUAL TABLE passage_terms USING fts5(tokens, tokenize = 'porter unicode61 remove_diacritics 2')");
  const insert = db.prepare("INSERT INTO passage_terms (rowid, tokens) VALUES (?, ?)");
  rows.forEach((tokens, index) => insert.run(index + 1, tokens));
  return db;
}

describe("shaping the lexical query", () => {
  // 2,000 passages: every one says "cm", every tenth "glass", three say "kettle".
  const rows = Array.from({ length: 2_000 }, (_, index) => `size 20 cm ${index % 10 === 0 ? "glass" : "steel"} ${index < 3 ? "kettle" : "pan"} item${index}`);

  it("drops terms found in more than a twentieth of the passages", () => {
    const db = database(rows);
    const hits = searchPassageTerms(db, "glass kettle 20 cm", { limit: 50, productId: null, passages: rows.length });
    // Only "kettle" is rare enough (3 of 2,000; "glass" is in 200): its three passages, nothing matched by "cm" alone.
    expect(hits.map((hit) => hit.label).sort()).toEqual([1, 2, 3]);
  });

  it("keeps the rarest terms when every term is common", () => {
    const db = database(rows);
    const hits = searchPassageTerms(db, "glass cm", { limit: 500, productId: null, passages: rows.length });
    expect(hits).toHaveLength(200);
  });

  it("leaves small stores' queries as they are", () => {
    const db = database(rows.slice(0, 500));
    expect(searchPassageTerms(db, "kettle cm", { limit: 1_000, productId: null, passages: 500 })).toHaveLength(500);
  });

  it("scores store-wide only passages holding the rarest terms within the postings budget, the other kept terms adding to their scores", () => {
    // 2,000 passages: "kettle" in 3 (one of them also "glass"), "steel" in 60, "glass" in 100, "cm" in all.
    const shaped = Array.from({ length: 2_000 }, (_, index) => `cm item${index} ${index < 3 ? "kettle" : ""} ${index === 2 || (index >= 1_000 && index < 1_099) ? "glass" : ""} ${index >= 100 && index < 160 ? "steel" : ""}`);
    const db = database(shaped);
    const capped = searchPassageTerms(db, "glass kettle steel cm", { limit: 50, productId: null, passages: shaped.length, scoredPostings: 50 });
    expect(capped.map((hit) => hit.label)).toHaveLength(3);
    // The kettle that is also glass first: "glass" cannot select a passage here, but it scores.
    expect(capped[0]!.label).toBe(3);
    expect(capped.map((hit) => hit.label).sort()).toEqual([1, 2, 3]);
    const uncapped = searchPassageTerms(db, "glass kettle steel cm", { limit: 500, productId: null, passages: shaped.length, scoredPostings: 10_000 });
    expect(uncapped).toHaveLength(162);
  });

  it("adds only the four rarest of the other kept terms to the scores", () => {
    // 2,000 passages of seven words: "kettle" in 3 (the selecting term); "t1".."t5" each in the first
    // passage and in 20 + 10·i others; "filler" where a passage lacks one.
    const scoring = ["t1", "t2", "t3", "t4", "t5"];
    const shaped = Array.from({ length: 2_000 }, (_, index) => {
      const words = [`item${index}`, index < 3 ? "kettle" : "pan"];
      scoring.forEach((term, i) => words.push(index === 0 || (index >= 100 + 200 * i && index < 120 + 210 * i) ? term : "filler"));
      return words.join(" ");
    });
    const db = database(shaped);
    const score = (query: string, version: number) => searchPassageTerms(db, query, { limit: 50, productId: null, passages: shaped.length, scoredPostings: 3, version });
    const all = score("kettle t1 t2 t3 t4 t5", 1);
    expect(all.map((hit) => hit.label).sort()).toEqual([1, 2, 3]);
    expect(all[0]!.label).toBe(1);
    // Passage 1 holds all five: leaving "t5" (the most common) out of the question changes nothing, leaving "t4" out does.
    expect(all[0]!.score).toBeCloseTo(score("kettle t1 t2 t3 t4", 2)[0]!.score, 9);
    expect(all[0]!.score).toBeGreaterThan(score("kettle t1 t2 t3 t5", 3)[0]!.score + 0.1);
  });

  it("on a product page, scores that product's passages matched by any kept term", () => {
    const db = database(rows);
    const insert = db.prepare("INSERT INTO passages (label, product_id) VALUES (?, ?)");
    for (const label of [2, 11, 12, 13]) insert.run(label, "P1");
    const hits = searchPassageTerms(db, "kettle item10 cm", { limit: 20, productId: "P1", passages: rows.length, scoredPostings: 1 });
    // "kettle" (rows 1-3) and "item10" (row 11) are kept, "cm" (every row) is not; no postings cap on a page.
    expect(hits.map((hit) => hit.label).sort((a, b) => a - b)).toEqual([2, 11]);
  });

  it("reads document frequencies again when the version read changes", () => {
    const db = database(rows);
    expect(searchPassageTerms(db, "kettle", { limit: 50, productId: null, passages: rows.length, version: 1 })).toHaveLength(3);
    const insert = db.prepare("INSERT INTO passage_terms (rowid, tokens) VALUES (?, ?)");
    for (let label = 3_001; label <= 3_400; label += 1) insert.run(label, "kettle");
    // Same version: the cached frequency (3) keeps "kettle" rare; a new version finds it common (403 of 2,400).
    expect(searchPassageTerms(db, "kettle", { limit: 500, productId: null, passages: 2_400, version: 1 })).toHaveLength(403);
    expect(searchPassageTerms(db, "kettle glass", { limit: 500, productId: null, passages: 2_400, version: 2 }).length).toBeLessThan(403);
  });

  describe("Chinese terms as the store indexes them", () => {
    const titles = ["实木吧台桌家用阳台靠墙高脚桌", "丝网印刷机手动丝印台手印台印刷台", "手机电竞键盘鼠标套装", "電競滑鼠墊加厚", "无线充电器"];
    const indexed = (texts: string[]) => database(texts.map((text) => lexicalTerms(segmentWords(text)).join(" ")));

    it("finds the word a particle is part of", () => {
      const hits = searchPassageTerms(indexed(titles), "木制吧台", { limit: 5, productId: null, passages: titles.length });
      expect(hits[0]!.label).toBe(1);
    });

    it("finds simplified passages from a traditional question and traditional passages from a simplified one", () => {
      const db = indexed(titles);
      expect(searchPassageTerms(db, "電競鍵盤滑鼠", { limit: 5, productId: null, passages: titles.length })[0]!.label).toBe(3);
      expect(searchPassageTerms(db, "鼠标垫", { limit: 5, productId: null, passages: titles.length })[0]!.label).toBe(4);
    });

    it("still finds traditional passages indexed unfolded, as stores built before folding hold them", () => {
      const db = database(["電競 滑鼠 墊 電競 競滑 滑鼠 鼠墊", "无线 充电器 无线 线充 充电 电器"]);
      expect(searchPassageTerms(db, "電競滑鼠", { limit: 5, productId: null, passages: 2 }).map((hit) => hit.label)).toEqual([1]);
    });
  });
});
