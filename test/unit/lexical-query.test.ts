import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { searchPassageTerms } from "../../src/retrieval/lexical-query.ts";

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
});
