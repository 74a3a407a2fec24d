import type { DatabaseSync } from "node:sqlite";
import { contentWords, lexicalTerms, segmentWords } from "../text/segment.ts";

/** A term found in more than this share of passages says little and costs most (BM25 walks all its rows). */
const COMMON_SHARE = 0.05;
/** When every term is common, passages holding all of the rarest few are searched. */
const KEEP_WHEN_ALL_COMMON = 2;
const MAX_TERMS = 64;

const frequencyLookups = new WeakMap<DatabaseSync, (terms: readonly string[]) => number[]>();

/**
 * BM25 search over the segmented terms of passages (SQLite FTS5), with the query shaped for
 * speed at scale: terms that occur in more than COMMON_SHARE of the passages are dropped (their
 * IDF is near zero, so they barely move the ranking, but BM25 must score every passage holding
 * them), requiring the rarest two together when all are common. Document frequencies come from fts5vocab
 * tables in the connection's temp schema, so a read-only connection can use them.
 */
export function searchPassageTerms(db: DatabaseSync, query: string, options: { limit: number; productId: string | null; passages: number }): { label: number; score: number }[] {
  const { limit, productId, passages } = options;
  const words = contentWords(query);
  const terms = [...new Set(lexicalTerms(words.length > 0 ? words : segmentWords(query)))].slice(0, MAX_TERMS);
  if (terms.length === 0) return [];
  const shaped = passages < 1_000 ? { terms, all: false } : dropCommonTerms(terms, passages, frequencyLookup(db));
  const match = shaped.terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(shaped.all ? " AND " : " OR ");
  const sql = productId
    ? `SELECT rowid AS label, -bm25(passage_terms) AS score FROM passage_terms
       WHERE passage_terms MATCH ? AND rowid IN (SELECT label FROM passages WHERE product_id = ?) ORDER BY bm25(passage_terms) LIMIT ?`
    : `SELECT rowid AS label, -bm25(passage_terms) AS score FROM passage_terms WHERE passage_terms MATCH ? ORDER BY bm25(passage_terms) LIMIT ?`;
  const statement = db.prepare(sql);
  return (productId ? statement.all(match, productId, limit) : statement.all(match, limit)) as { label: number; score: number }[];
}

/** The terms to search, any of them, or (when every term is common) all of the rarest few. */
function dropCommonTerms(terms: string[], passages: number, frequencies: (terms: readonly string[]) => number[]): { terms: string[]; all: boolean } {
  const counts = frequencies(terms);
  const counted = terms.map((term, index) => ({ term, frequency: counts[index]! })).filter((entry) => entry.frequency > 0);
  if (counted.length === 0) return { terms, all: false };
  const rare = counted.filter((entry) => entry.frequency <= passages * COMMON_SHARE);
  if (rare.length > 0) return { terms: rare.map((entry) => entry.term), all: false };
  return { terms: counted.sort((a, b) => a.frequency - b.frequency).slice(0, KEEP_WHEN_ALL_COMMON).map((entry) => entry.term), all: true };
}

/**
 * How many passages hold each term. The index stores terms as its tokenizer makes them (stemmed),
 * so the query terms go through the same tokenizer first: a scratch FTS5 table in the temp schema
 * with the passage table's own tokenize option, read back with fts5vocab. A term that is several
 * tokens counts as its rarest one.
 */
function frequencyLookup(db: DatabaseSync): (terms: readonly string[]) => number[] {
  let lookup = frequencyLookups.get(db);
  if (!lookup) {
    const schema = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'passage_terms'").get() as { sql: string } | undefined)?.sql ?? "";
    const tokenize = /tokenize\s*=\s*('(?:[^']|'')*')/i.exec(schema)?.[1] ?? "'unicode61'";
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.passage_vocab USING fts5vocab(main, passage_terms, row);
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_terms USING fts5(tokens, tokenize = ${tokenize});
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_tokens USING fts5vocab(temp, query_terms, instance);`);
    const clear = db.prepare("DELETE FROM temp.query_terms");
    const insert = db.prepare("INSERT INTO temp.query_terms (rowid, tokens) VALUES (?, ?)");
    const tokens = db.prepare("SELECT doc, term FROM temp.query_tokens");
    const frequency = db.prepare("SELECT doc FROM temp.passage_vocab WHERE term = ?");
    lookup = (terms) => {
      clear.run();
      terms.forEach((term, index) => insert.run(index + 1, term));
      const counts: number[] = terms.map(() => Number.POSITIVE_INFINITY);
      for (const row of tokens.all() as { doc: number; term: string }[]) {
        const count = (frequency.get(row.term) as { doc: number } | undefined)?.doc ?? 0;
        counts[row.doc - 1] = Math.min(counts[row.doc - 1]!, count);
      }
      return counts.map((count) => (Number.isFinite(count) ? count : 0));
    };
    frequencyLookups.set(db, lookup);
  }
  return lookup;
}
