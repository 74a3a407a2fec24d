import type { DatabaseSync } from "node:sqlite";
import { contentWords, lexicalTerms, segmentWords } from "../text/segment.ts";

/** A term found in more than this share of passages says little and costs most (BM25 walks all its rows). */
const COMMON_SHARE = 0.05;
/** When every term is common, the rarest few are still searched. */
const KEEP_WHEN_ALL_COMMON = 2;
const MAX_TERMS = 64;

const frequencyLookups = new WeakMap<DatabaseSync, (term: string) => number>();

/**
 * BM25 search over the segmented terms of passages (SQLite FTS5), with the query shaped for
 * speed at scale: terms that occur in more than COMMON_SHARE of the passages are dropped (their
 * IDF is near zero, so they barely move the ranking, but BM25 must score every passage holding
 * them), keeping the rarest ones when all are common. Document frequencies come from an fts5vocab
 * table in the connection's temp schema, so a read-only connection can use it.
 */
export function searchPassageTerms(db: DatabaseSync, query: string, options: { limit: number; productId: string | null; passages: number }): { label: number; score: number }[] {
  const { limit, productId, passages } = options;
  const words = contentWords(query);
  const terms = [...new Set(lexicalTerms(words.length > 0 ? words : segmentWords(query)))].slice(0, MAX_TERMS);
  if (terms.length === 0) return [];
  const shaped = passages < 1_000 ? terms : dropCommonTerms(terms, passages, frequencyLookup(db));
  const match = shaped.map((term) => `"${term.replaceAll('"', '""')}"`).join(" OR ");
  const sql = productId
    ? `SELECT rowid AS label, -bm25(passage_terms) AS score FROM passage_terms
       WHERE passage_terms MATCH ? AND rowid IN (SELECT label FROM passages WHERE product_id = ?) ORDER BY bm25(passage_terms) LIMIT ?`
    : `SELECT rowid AS label, -bm25(passage_terms) AS score FROM passage_terms WHERE passage_terms MATCH ? ORDER BY bm25(passage_terms) LIMIT ?`;
  const statement = db.prepare(sql);
  return (productId ? statement.all(match, productId, limit) : statement.all(match, limit)) as { label: number; score: number }[];
}

function dropCommonTerms(terms: string[], passages: number, frequency: (term: string) => number): string[] {
  const counted = terms.map((term) => ({ term, frequency: frequency(term) })).filter((entry) => entry.frequency > 0);
  if (counted.length === 0) return terms;
  const rare = counted.filter((entry) => entry.frequency <= passages * COMMON_SHARE);
  if (rare.length > 0) return rare.map((entry) => entry.term);
  return counted.sort((a, b) => a.frequency - b.frequency).slice(0, KEEP_WHEN_ALL_COMMON).map((entry) => entry.term);
}

/** How many passages hold a term, from an fts5vocab table in the temp schema (one indexed lookup). */
function frequencyLookup(db: DatabaseSync): (term: string) => number {
  let lookup = frequencyLookups.get(db);
  if (!lookup) {
    db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.passage_vocab USING fts5vocab(main, passage_terms, row)");
    const statement = db.prepare("SELECT doc FROM temp.passage_vocab WHERE term = ?");
    lookup = (term) => (statement.get(term) as { doc: number } | undefined)?.doc ?? 0;
    frequencyLookups.set(db, lookup);
  }
  return lookup;
}
