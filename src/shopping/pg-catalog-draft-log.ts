import type { Postgres } from "../storage/postgres.ts";
import { lineKey, type CatalogDraftLog, type DraftedEntry, type DraftedLine } from "./catalog-draft-log.ts";

/** Session advisory lock held while a server drafts from the catalog ("kfdr"). */
const DRAFTING_LOCK = 0x6b666472;

/** CatalogDraftLog in Postgres, shared by every server: drafting runs under an advisory lock, so each line is drafted once. */
export class PgCatalogDraftLog implements CatalogDraftLog {
  readonly #pg: Postgres;

  constructor(pg: Postgres) {
    this.#pg = pg;
  }

  async isEmpty(): Promise<boolean> {
    return (await this.#pg.query("SELECT 1 FROM catalog_drafted_entries LIMIT 1")).length === 0;
  }

  async find(lines: readonly DraftedLine[]): Promise<Map<string, DraftedEntry>> {
    if (lines.length === 0) return new Map();
    const rows = await this.#pg.query<{ sku: string; lang: string; hash: string; draft_ids: string[]; at: string }>(
      "SELECT e.sku, e.lang, e.hash, e.draft_ids, e.at FROM catalog_drafted_entries e JOIN unnest($1::text[], $2::text[]) AS k(sku, lang) ON e.sku = k.sku AND e.lang = k.lang",
      [lines.map((line) => line.sku), lines.map((line) => line.lang)],
    );
    return new Map(rows.map((row) => [lineKey(row as DraftedLine), { sku: row.sku, lang: row.lang === "zh" ? "zh" : "en", hash: row.hash, draftIds: row.draft_ids, at: row.at }]));
  }

  async record(entries: readonly DraftedEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#pg.query(
      `INSERT INTO catalog_drafted_entries (sku, lang, hash, draft_ids, at)
       SELECT e.sku, e.lang, e.hash, e.draft_ids, e.at FROM jsonb_to_recordset($1::jsonb) AS e(sku text, lang text, hash text, draft_ids jsonb, at timestamptz)
       ON CONFLICT (sku, lang) DO UPDATE SET hash = excluded.hash, draft_ids = excluded.draft_ids, at = excluded.at`,
      [JSON.stringify(entries.map((entry) => ({ sku: entry.sku, lang: entry.lang, hash: entry.hash, draft_ids: entry.draftIds, at: entry.at })))],
    );
  }

  /** A server that finds another drafting waits for it, then finds those lines recorded. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.#pg.session(async (client) => {
      await client.query("SELECT pg_advisory_lock($1)", [DRAFTING_LOCK]);
      try {
        return await work();
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [DRAFTING_LOCK]);
      }
    });
  }

  /** The pool is the caller's. */
  async close(): Promise<void> {}
}
