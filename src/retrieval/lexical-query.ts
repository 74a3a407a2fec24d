import type { DatabaseSync, StatementSync } from "node:sqlite";
import { withPolicyTerms } from "../catalog/match-policy.ts";
import { searchTerms } from "../text/segment.ts";

/** A term found in more than this share of passages says little and costs most (BM25 walks all its rows). */
const COMMON_SHARE = 0.05;
/** When every term is common, passages holding all of the rarest few are searched. */
const KEEP_WHEN_ALL_COMMON = 2;
const MAX_TERMS = 64;
/**
 * Store-wide, BM25 scores at most about this many passages: the rarest terms up to this many
 * postings select the passages, the other kept terms only add to their scores (see shapeQuery).
 * (FTS5's BM25 costs about 0.4 µs per scored passage, plus 0.05 µs per scored passage and phrase
 * of the query, plus a count of every phrase's postings for its IDF. 2,500 would be cheaper, but
 * emulated on zh-catalog-dev it ranked a Chinese question's passage lower.)
 */
const SCORED_POSTINGS = 4_000;
/**
 * Terms beyond the selecting ones that still add to the score, rarest first. Each costs a count
 * of its postings and a phrase in every scored passage: eight made the slowest 1% of searches
 * at 100k passages about a fifth slower than four, with the same top passages nearly always.
 */
const MAX_SCORING_TERMS = 4;
/** Document frequencies remembered per connection and version (a query's common words recur). */
const MAX_CACHED_TERMS = 20_000;

type Lookups = {
  frequencies: (terms: readonly string[]) => number[];
  storeWide: StatementSync;
  onPage: StatementSync;
  cache: Map<string, number>;
  version: number;
};

const lookupsByDb = new WeakMap<DatabaseSync, Lookups>();

/**
 * BM25 search over the segmented terms of passages (SQLite FTS5), with the query shaped for
 * speed at scale. Terms that occur in more than COMMON_SHARE of the passages are dropped (their
 * IDF is near zero, so they barely move the ranking, but BM25 must score every passage holding
 * them), requiring the rarest two together when all are common. Store-wide, the passages scored
 * are further capped: the rarest terms up to SCORED_POSTINGS postings select them, and the more
 * common of the kept terms count at half weight among those (they cannot select a passage on their
 * own). Document frequencies come from fts5vocab tables in the connection's temp schema, so a
 * read-only connection can use them; they are cached per `version` of the data the connection reads.
 */
export function searchPassageTerms(db: DatabaseSync, query: string, options: { limit: number; productId: string | null; passages: number; version?: number; scoredPostings?: number }): { label: number; score: number }[] {
  const { limit, productId, passages } = options;
  // A question about a store policy also searches the words policy entries use for it.
  const searched = withPolicyTerms(query);
  const terms = searchTerms(searched).slice(0, MAX_TERMS);
  if (terms.length === 0) return [];
  const lookups = lookupsFor(db, options.version ?? -1);
  const match = passages < 1_000 ? anyOf(terms) : shapeQuery(terms, passages, lookups.frequencies(terms), productId === null ? (options.scoredPostings ?? SCORED_POSTINGS) : Number.POSITIVE_INFINITY);
  return (productId ? lookups.onPage.all(match, productId, limit) : lookups.storeWide.all(match, limit)) as { label: number; score: number }[];
}

/**
 * The FTS5 query: any of the kept terms; or, when they hold more than `scoredPostings` postings
 * together (store-wide SCORED_POSTINGS; on a product page no cap, its few passages are all scored), `(S) AND (S OR C)`, where S is any of the rarest terms within that budget and
 * C the next rarest few: only passages holding a term of S are scored, and BM25 counts the terms
 * of S twice, so C weighs half (a down-weighting of the more common terms). When every term is
 * common, all of the rarest two.
 */
function shapeQuery(terms: readonly string[], passages: number, counts: readonly number[], scoredPostings: number): string {
  const counted = terms.map((term, index) => ({ term, frequency: counts[index]! })).filter((entry) => entry.frequency > 0);
  if (counted.length === 0) return anyOf(terms);
  counted.sort((a, b) => a.frequency - b.frequency);
  const kept = counted.filter((entry) => entry.frequency <= passages * COMMON_SHARE);
  if (kept.length === 0) return counted.slice(0, KEEP_WHEN_ALL_COMMON).map((entry) => quote(entry.term)).join(" AND ");
  let postings = 0;
  let selecting = 0;
  while (selecting < kept.length && (selecting === 0 || postings + kept[selecting]!.frequency <= scoredPostings)) postings += kept[selecting++]!.frequency;
  if (selecting === kept.length) return anyOf(kept.map((entry) => entry.term));
  const select = anyOf(kept.slice(0, selecting).map((entry) => entry.term));
  const score = anyOf(kept.slice(selecting, selecting + MAX_SCORING_TERMS).map((entry) => entry.term));
  return `(${select}) AND (${select} OR ${score})`;
}

function anyOf(terms: readonly string[]): string {
  return terms.map(quote).join(" OR ");
}

function quote(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

/**
 * Prepared statements and the frequency lookup of a connection, made once. The index stores terms
 * as its tokenizer makes them (stemmed), so query terms go through the same tokenizer first: a
 * scratch FTS5 table in the temp schema with the passage table's own tokenize option, read back with
 * fts5vocab. A term that is several tokens counts as its rarest one.
 */
function lookupsFor(db: DatabaseSync, version: number): Lookups {
  let lookups = lookupsByDb.get(db);
  if (!lookups) {
    const schema = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'passage_terms'").get() as { sql: string } | undefined)?.sql ?? "";
    const tokenize = /tokenize\s*=\s*('(?:[^']|'')*')/i.exec(schema)?.[1] ?? "'unicode61'";
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.passage_vocab USING fts5vocab(main, passage_terms, row);
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_terms USING fts5(tokens, tokenize = ${tokenize});
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_tokens USING fts5vocab(temp, query_terms, instance);`);
    const clear = db.prepare("DELETE FROM temp.query_terms");
    const insert = db.prepare("INSERT INTO temp.query_terms (rowid, tokens) VALUES (?, ?)");
    const tokens = db.prepare("SELECT doc, term FROM temp.query_tokens");
    const frequency = db.prepare("SELECT doc FROM temp.passage_vocab WHERE term = ?");
    const cache = new Map<string, number>();
    const created: Lookups = {
      cache,
      version,
      frequencies: (terms) => {
        const missing = terms.filter((term) => !cache.has(term));
        if (missing.length > 0) {
          clear.run();
          missing.forEach((term, index) => insert.run(index + 1, term));
          const counts: number[] = missing.map(() => Number.POSITIVE_INFINITY);
          for (const row of tokens.all() as { doc: number; term: string }[]) {
            const count = (frequency.get(row.term) as { doc: number } | undefined)?.doc ?? 0;
            counts[row.doc - 1] = Math.min(counts[row.doc - 1]!, count);
          }
          if (cache.size + missing.length > MAX_CACHED_TERMS) cache.clear();
          missing.forEach((term, index) => cache.set(term, Number.isFinite(counts[index]!) ? counts[index]! : 0));
        }
        return terms.map((term) => cache.get(term)!);
      },
      storeWide: db.prepare("SELECT rowid AS label, -bm25(passage_terms) AS score FROM passage_terms WHERE passage_terms MATCH ? ORDER BY bm25(passage_terms) LIMIT ?"),
      // `+rowid`: the product's few labels filter the matches. As an index on rowid, each label would
      // start the whole FTS5 query (and BM25's statistics) over again.
      onPage: db.prepare(`SELECT rowid AS label, -bm25(passage_terms) AS score FROM passage_terms
        WHERE passage_terms MATCH ? AND +rowid IN (SELECT label FROM passages WHERE product_id = ?) ORDER BY bm25(passage_terms) LIMIT ?`),
    };
    lookupsByDb.set(db, (lookups = created));
  }
  // Frequencies are those of the version the connection reads; a version of -1 is never cached across calls.
  if (lookups.version !== version || version < 0) {
    lookups.cache.clear();
    lookups.version = version;
  }
  return lookups;
}
