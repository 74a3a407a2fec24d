import { LoopSlices } from "../loop-slices.ts";
import { openDatabase, type Database } from "../storage/database.ts";
import { BACKGROUND_NICE, SqliteWriteThread } from "../storage/sqlite-write-thread.ts";
import { lineKey, type CatalogDraftLog, type DraftedEntry, type DraftedLine } from "./catalog-draft-log.ts";
import { CATALOG_DRAFT_WRITES, MIGRATIONS } from "./catalog-draft-writes.ts";

/** Lines written in one transaction of the writer thread (a first look at a 28k-line catalog records them all). */
const RECORD_BATCH = 1_000;

/**
 * The catalog draft log in a SQLite file: lookups on this thread's connection, records written by a
 * writer thread of their own, so a commit's fsync never holds the event loop.
 */
export class SqliteCatalogDraftLog implements CatalogDraftLog {
  readonly #db: Database;
  readonly #writer: SqliteWriteThread<typeof CATALOG_DRAFT_WRITES>;

  constructor(path: string, options: { synchronous: "full" | "normal"; onWriterCrash?: (error: unknown) => void }) {
    // The schema first, on this thread; the writer opens the migrated file.
    this.#db = openDatabase(path, { migrations: MIGRATIONS, synchronous: options.synchronous });
    this.#writer = new SqliteWriteThread(new URL("./catalog-draft-writer-worker.ts", import.meta.url), { path, synchronous: options.synchronous, niceIncrement: BACKGROUND_NICE }, {
      name: "catalog draft log",
      ...(options.onWriterCrash ? { onCrash: options.onWriterCrash } : {}),
    });
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

  /** In transactions of RECORD_BATCH lines, each committed by the writer thread before the next is sent. */
  async record(entries: readonly DraftedEntry[]): Promise<void> {
    for (let start = 0; start < entries.length; start += RECORD_BATCH) await this.#writer.write("record", entries.slice(start, start + RECORD_BATCH));
  }

  /** The file is this server's own: nobody else drafts from it. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  async close(): Promise<void> {
    await this.#writer.close();
    if (this.#db.isOpen) this.#db.close();
  }
}
