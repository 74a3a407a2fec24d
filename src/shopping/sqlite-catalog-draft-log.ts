import { LoopSlices } from "../loop-slices.ts";
import { openDatabase, transaction, type Database } from "../storage/database.ts";
import { lineKey, type CatalogDraftLog, type DraftedEntry, type DraftedLine } from "./catalog-draft-log.ts";

const MIGRATIONS = [
  `CREATE TABLE drafted_entries (
     sku TEXT NOT NULL, lang TEXT NOT NULL, hash TEXT NOT NULL, draft_ids TEXT NOT NULL, at TEXT NOT NULL,
     PRIMARY KEY (sku, lang)
   ) STRICT;`,
];

/** Lines written in one transaction (a few ms on the event loop). */
const RECORD_BATCH = 500;

export class SqliteCatalogDraftLog implements CatalogDraftLog {
  readonly #db: Database;

  constructor(path: string, options: { synchronous: "full" | "normal" }) {
    this.#db = openDatabase(path, { migrations: MIGRATIONS, synchronous: options.synchronous });
  }

  isEmpty(): Promise<boolean> {
    return Promise.resolve(this.#db.prepare("SELECT 1 FROM drafted_entries LIMIT 1").get() === undefined);
  }

  /** One indexed lookup a line, yielding to the event loop every few ms (the first look at a large catalog asks for tens of thousands). */
  async find(lines: readonly DraftedLine[]): Promise<Map<string, DraftedEntry>> {
    const entries = new Map<string, DraftedEntry>();
    const lookup = this.#db.prepare("SELECT hash, draft_ids, at FROM drafted_entries WHERE sku = ? AND lang = ?");
    const slices = new LoopSlices();
    for (const { sku, lang } of lines) {
      const row = lookup.get(sku, lang);
      if (row) entries.set(lineKey({ sku, lang }), { sku, lang, hash: String(row.hash), draftIds: JSON.parse(String(row.draft_ids)) as string[], at: String(row.at) });
      await slices.pause();
    }
    return entries;
  }

  /** In transactions of RECORD_BATCH lines, yielding to the event loop between them. */
  async record(entries: readonly DraftedEntry[]): Promise<void> {
    const upsert = this.#db.prepare(
      "INSERT INTO drafted_entries (sku, lang, hash, draft_ids, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (sku, lang) DO UPDATE SET hash = excluded.hash, draft_ids = excluded.draft_ids, at = excluded.at",
    );
    for (let start = 0; start < entries.length; start += RECORD_BATCH) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      transaction(this.#db, () => {
        for (const entry of entries.slice(start, start + RECORD_BATCH)) upsert.run(entry.sku, entry.lang, entry.hash, JSON.stringify(entry.draftIds), entry.at);
      });
    }
  }

  /** The file is this server's own: nobody else drafts from it. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
