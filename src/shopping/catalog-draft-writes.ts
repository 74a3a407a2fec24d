import type { Database } from "../storage/database.ts";
import type { DraftedEntry } from "./catalog-draft-log.ts";

export const MIGRATIONS = [
  `CREATE TABLE drafted_entries (
     sku TEXT NOT NULL, lang TEXT NOT NULL, hash TEXT NOT NULL, draft_ids TEXT NOT NULL, at TEXT NOT NULL,
     PRIMARY KEY (sku, lang)
   ) STRICT;`,
];

/** The catalog draft log's writes, run by its writer thread (catalog-draft-writer-worker.ts), each in one transaction. */
export const CATALOG_DRAFT_WRITES = {
  record(db: Database, entries: readonly DraftedEntry[]): void {
    const upsert = db.prepare(
      "INSERT INTO drafted_entries (sku, lang, hash, draft_ids, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (sku, lang) DO UPDATE SET hash = excluded.hash, draft_ids = excluded.draft_ids, at = excluded.at",
    );
    for (const entry of entries) upsert.run(entry.sku, entry.lang, entry.hash, JSON.stringify(entry.draftIds), entry.at);
  },
};
