import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../logger.ts";
import { checkpointPeriodically, openDatabase, SNAPSHOT_RENEW_MS, type Database } from "../storage/database.ts";
import type { Queryable } from "../storage/postgres.ts";
import { MIGRATIONS } from "./sqlite-knowledge-store.ts";

/** Which published state a copy holds: the Postgres store it came from, its version and embedder. */
export type MirrorState = { storeId: string | null; version: number; embedder: string };

/** Copying passages from Postgres: how far along (for logs and /healthz). */
export type MirrorProgress = { copying: boolean; done: number; total: number; version: number };

const BATCH = 2_000;

type PgDocument = { id: string; source: string; hash: string; product_id: string | null; lang: string; kind: string; title: string; url: string | null; updated_at: string };
type PgPassage = { label: number; key: string; document_id: string; product_id: string | null; lang: string; kind: string; title: string; text: string; url: string | null; embedding: Uint8Array; terms: string };

/**
 * A server's local copy of the knowledge published in Postgres: knowledge.db in DATA_DIR with the
 * same layout the SQLite store writes (passages with their embeddings, FTS5 terms, the labels each
 * version removed; embeddings and terms as the publishing server computed them), so that the search workers (SqlitePassageReader and its hnswlib index) follow
 * it exactly as they follow the embedded store. It is derived data: nothing is embedded here, and
 * a copy that does not belong to the database's store is deleted and copied again.
 *
 * Catching up reads one consistent snapshot of Postgres and applies it in one SQLite transaction:
 * searches see the old version or the new one whole.
 */
export class KnowledgeMirror {
  readonly #db: Database;
  readonly #logger: Logger;
  readonly #onProgress: (progress: MirrorProgress) => void;

  readonly #stopCheckpoints: () => void;

  private constructor(db: Database, logger: Logger, onProgress: (progress: MirrorProgress) => void, checkpointEveryMs: number) {
    this.#db = db;
    this.#logger = logger;
    this.#onProgress = onProgress;
    this.#stopCheckpoints = checkpointPeriodically(db, checkpointEveryMs, (error) => logger.warn({ err: error }, "copying the knowledge log into the database failed; the next pass tries again"));
  }

  /**
   * Before anything opens the copy: delete it (and the saved vector index) if it was made from
   * another Postgres store or is ahead of it (a restored or replaced database), then create the schema.
   */
  static async prepare(options: { dataDir: string; synchronous: "full" | "normal"; published: { storeId: string; version: number }; logger: Logger }): Promise<void> {
    const path = join(options.dataDir, "knowledge.db");
    if (existsSync(path)) {
      const db = openDatabase(path, { migrations: MIGRATIONS, synchronous: options.synchronous });
      const local = readState(db);
      db.close();
      const foreign = local.version > 0 && (local.storeId !== options.published.storeId || local.version > options.published.version);
      if (foreign) {
        options.logger.warn({ local, published: options.published }, "local knowledge copy belongs to another database; copying it again");
        for (const file of ["knowledge.db", "knowledge.db-wal", "knowledge.db-shm", "vectors.hnsw", "vectors.json"]) await rm(join(options.dataDir, file), { force: true });
      }
    }
    openDatabase(path, { migrations: MIGRATIONS, synchronous: options.synchronous }).close();
  }

  /** `checkpointEveryMs`: search readers renew their snapshots every SNAPSHOT_RENEW_MS; a pass after that lets the log start over. */
  static open(options: { dataDir: string; synchronous: "full" | "normal"; logger: Logger; onProgress?: (progress: MirrorProgress) => void; checkpointEveryMs?: number }): KnowledgeMirror {
    const db = openDatabase(join(options.dataDir, "knowledge.db"), { migrations: MIGRATIONS, synchronous: options.synchronous });
    return new KnowledgeMirror(db, options.logger, options.onProgress ?? (() => undefined), options.checkpointEveryMs ?? 2 * SNAPSHOT_RENEW_MS);
  }

  get state(): MirrorState {
    return readState(this.#db);
  }

  passageCount(): number {
    return (this.#db.prepare("SELECT count(*) AS n FROM passages").get() as { n: number }).n;
  }

  /** Copy the local state to another folder (a candidate version is built there). */
  snapshotTo(path: string): void {
    this.#db.prepare("VACUUM INTO ?").run(path);
  }

  /**
   * Bring the copy to `target`, read from `pg` inside one REPEATABLE READ transaction (the caller's)
   * whose snapshot holds `target`. Returns whether anything changed.
   */
  async catchUp(pg: Queryable, target: { storeId: string; version: number; embedder: string }): Promise<boolean> {
    const local = this.state;
    if (local.storeId === target.storeId && local.version === target.version && local.embedder === target.embedder) return false;
    const whole = local.storeId !== target.storeId || local.embedder !== target.embedder || local.version > target.version;
    if (whole && local.version > 0 && local.storeId !== target.storeId) {
      this.#logger.error({ local, target }, "the knowledge database changed under a running server; restart it to rebuild its search index");
    }
    const from = whole ? 0 : local.version;
    const total = (await pg.query<{ n: number }>("SELECT count(*)::int AS n FROM knowledge_passages WHERE version > $1", [from]))[0]!.n;
    const started = performance.now();
    const report = whole || total > BATCH;
    if (report) this.#logger.info({ from, to: target.version, passages: total }, "copying knowledge from Postgres");
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      if (whole) this.#db.exec("DELETE FROM passage_terms; DELETE FROM passages; DELETE FROM documents; DELETE FROM removed_labels;");
      else await this.#applyRemovals(pg, from);
      const upsertDocument = this.#db.prepare(
        `INSERT INTO documents (id, source, hash, product_id, lang, kind, title, url, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET source = excluded.source, hash = excluded.hash, product_id = excluded.product_id, lang = excluded.lang,
           kind = excluded.kind, title = excluded.title, url = excluded.url, updated_at = excluded.updated_at`,
      );
      const documents = await pg.query<PgDocument>("SELECT id, source, hash, product_id, lang, kind, title, url, updated_at FROM knowledge_documents WHERE version > $1", [from]);
      for (const row of documents) upsertDocument.run(row.id, row.source, row.hash, row.product_id, row.lang, row.kind, row.title, row.url, row.updated_at);
      await this.#copyPassages(pg, from, total, target.version);
      const setMeta = this.#db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
      setMeta.run("version", String(target.version));
      setMeta.run("embedder", target.embedder);
      setMeta.run("storeId", target.storeId);
      this.#db.exec("COMMIT");
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
      this.#onProgress({ copying: false, done: 0, total: 0, version: local.version });
      throw error;
    }
    this.#onProgress({ copying: false, done: total, total, version: target.version });
    if (report) this.#logger.info({ version: target.version, passages: total, ms: Math.round(performance.now() - started) }, "knowledge copied from Postgres");
    return true;
  }

  close(): void {
    this.#stopCheckpoints();
    if (this.#db.isOpen) this.#db.close();
  }

  /** What the versions after `from` removed: passages and documents gone, labels listed for the search indexes. */
  async #applyRemovals(pg: Queryable, from: number): Promise<void> {
    const removed = await pg.query<{ version: number; label: number; product_id: string | null }>("SELECT version, label, product_id FROM knowledge_removed_labels WHERE version > $1", [from]);
    const deleteTerms = this.#db.prepare("DELETE FROM passage_terms WHERE rowid = ?");
    const deletePassage = this.#db.prepare("DELETE FROM passages WHERE label = ?");
    const record = this.#db.prepare("INSERT OR IGNORE INTO removed_labels (version, label, product_id) VALUES (?, ?, ?)");
    for (const row of removed) {
      deleteTerms.run(row.label);
      deletePassage.run(row.label);
      record.run(row.version, row.label, row.product_id);
    }
    const deleted = await pg.query<{ document_id: string }>(
      "SELECT DISTINCT document_id FROM knowledge_history WHERE version > $1 AND op = 'delete' AND document_id NOT IN (SELECT id FROM knowledge_documents)",
      [from],
    );
    const deleteDocument = this.#db.prepare("DELETE FROM documents WHERE id = ?");
    for (const row of deleted) deleteDocument.run(row.document_id);
  }

  async #copyPassages(pg: Queryable, from: number, total: number, version: number): Promise<void> {
    const insertPassage = this.#db.prepare("INSERT OR REPLACE INTO passages (label, key, document_id, product_id, lang, kind, title, text, url, embedding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const deleteTerms = this.#db.prepare("DELETE FROM passage_terms WHERE rowid = ?");
    const insertTerms = this.#db.prepare("INSERT INTO passage_terms (rowid, tokens) VALUES (?, ?)");
    let after = 0;
    let done = 0;
    for (;;) {
      const rows = await pg.query<PgPassage>(
        "SELECT label, key, document_id, product_id, lang, kind, title, text, url, embedding, terms FROM knowledge_passages WHERE version > $1 AND label > $2 ORDER BY label LIMIT $3",
        [from, after, BATCH],
      );
      for (const row of rows) {
        insertPassage.run(row.label, row.key, row.document_id, row.product_id, row.lang, row.kind, row.title, row.text, row.url, row.embedding);
        deleteTerms.run(row.label);
        insertTerms.run(row.label, row.terms);
      }
      done += rows.length;
      if (rows.length > 0) after = rows[rows.length - 1]!.label;
      this.#onProgress({ copying: true, done, total, version });
      if (total > BATCH && rows.length > 0) this.#logger.info({ done, total }, "copying knowledge from Postgres");
      if (rows.length < BATCH) return;
    }
  }
}

function readState(db: Database): MirrorState {
  const rows = db.prepare("SELECT key, value FROM meta WHERE key IN ('version', 'embedder', 'storeId')").all() as { key: string; value: string }[];
  const values = new Map(rows.map((row) => [row.key, row.value]));
  return { storeId: values.get("storeId") ?? null, version: Number(values.get("version") ?? 0), embedder: values.get("embedder") ?? "" };
}
