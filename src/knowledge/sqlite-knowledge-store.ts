import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { embedInBatches, type Embedder } from "../retrieval/embedder.ts";
import type { Passage, StoredPassage } from "../retrieval/passage.ts";
import { checkpointPeriodically, openDatabase, SNAPSHOT_RENEW_MS, transaction, type Database } from "../storage/database.ts";
import { lexicalTerms, segmentWords } from "../text/segment.ts";
import type { DocumentChanges, DocumentInfo, IngestReport, KnowledgeChanges, KnowledgeStore, KnowledgeVersion, ProductHashes } from "./knowledge-store.ts";
import { loadKnowledge, type LoadedKnowledge } from "./load-knowledge.ts";
import { diffPassages, type PassageChanges } from "./passage-changes.ts";
import type { KnowledgeProblem, SourceDocument } from "./source-document.ts";
import { hashDocument, indexedText, splitDocument } from "./split-passages.ts";
import { documentExists, readDocument, readVersion } from "./sqlite-knowledge-reads.ts";

/** The schema of knowledge.db (also the layout of the local copy a Postgres-backed server searches). */
export const MIGRATIONS = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
   CREATE TABLE documents (
     id TEXT PRIMARY KEY, source TEXT NOT NULL, hash TEXT NOT NULL, product_id TEXT, lang TEXT NOT NULL,
     kind TEXT NOT NULL, title TEXT NOT NULL, url TEXT, updated_at TEXT NOT NULL
   ) STRICT;
   CREATE TABLE passages (
     label INTEGER PRIMARY KEY AUTOINCREMENT,
     key TEXT NOT NULL UNIQUE,
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     product_id TEXT, lang TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL, url TEXT,
     embedding BLOB NOT NULL
   ) STRICT;
   CREATE INDEX passages_document ON passages(document_id);
   CREATE INDEX passages_product ON passages(product_id);
   CREATE VIRTUAL TABLE passage_terms USING fts5(tokens, tokenize = 'porter unicode61 remove_diacritics 2');`,
  `CREATE TABLE versions (
     version INTEGER PRIMARY KEY, created_at TEXT NOT NULL, origin TEXT NOT NULL,
     added INTEGER NOT NULL, updated INTEGER NOT NULL, removed INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE document_history (
     version INTEGER NOT NULL, document_id TEXT NOT NULL, op TEXT NOT NULL, content TEXT,
     PRIMARY KEY (version, document_id)
   ) STRICT;
   CREATE INDEX document_history_document ON document_history(document_id, version);
   CREATE TABLE source_files (source TEXT PRIMARY KEY, hash TEXT NOT NULL) STRICT;`,
  // What each version removed, so that a search index can follow versions without a rebuild.
  `CREATE TABLE removed_labels (version INTEGER NOT NULL, label INTEGER NOT NULL, product_id TEXT, PRIMARY KEY (version, label)) STRICT;`,
];

/**
 * The knowledge store in SQLite: documents, their passages with embeddings and segmented FTS5
 * terms, and the history of versions. A change is split and embedded first, then published in
 * one transaction that also records which passage labels it removed; readers in other threads
 * (SqlitePassageReader) see the old version or the new one, never half. Labels are never reused.
 * Changes are serialised. Synchronous SQLite inside: run it in a worker thread (knowledge-worker.ts)
 * wherever an event loop must stay free.
 */
export class SqliteKnowledgeStore implements KnowledgeStore {
  readonly #db: Database;
  readonly #embedder: Embedder;
  readonly #logger: Logger;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #stopCheckpoints: () => void;

  private constructor(db: Database, embedder: Embedder, logger: Logger, checkpointEveryMs: number) {
    this.#db = db;
    this.#embedder = embedder;
    this.#logger = logger;
    this.#stopCheckpoints = checkpointPeriodically(db, checkpointEveryMs, (error) => logger.warn({ err: error }, "copying the knowledge log into the database failed; the next pass tries again"));
  }

  /** Create or migrate the schema and close again: lets readers open the folder before the writer is up. */
  static prepare(options: { dataDir: string; synchronous: "full" | "normal" }): void {
    openDatabase(join(options.dataDir, "knowledge.db"), { migrations: MIGRATIONS, synchronous: options.synchronous }).close();
  }

  /** `checkpointEveryMs`: search readers renew their snapshots every SNAPSHOT_RENEW_MS; a pass after that lets the log start over. */
  static async open(options: { dataDir: string; embedder: Embedder; synchronous: "full" | "normal"; logger: Logger; checkpointEveryMs?: number }): Promise<SqliteKnowledgeStore> {
    const db = openDatabase(join(options.dataDir, "knowledge.db"), { migrations: MIGRATIONS, synchronous: options.synchronous });
    const store = new SqliteKnowledgeStore(db, options.embedder, options.logger, options.checkpointEveryMs ?? 2 * SNAPSHOT_RENEW_MS);
    if (store.#meta("embedder") !== options.embedder.id) await store.#reembedAll();
    return store;
  }

  async version(): Promise<number> {
    return this.#version;
  }

  async passageCount(): Promise<number> {
    return this.#passageCount;
  }

  get #version(): number {
    return readVersion(this.#db);
  }

  get #passageCount(): number {
    return (this.#db.prepare("SELECT count(*) AS n FROM passages").get() as { n: number }).n;
  }

  async syncFolder(directory: string): Promise<IngestReport> {
    const loaded = await loadKnowledge(directory);
    for (const problem of loaded.problems) this.#logger.error({ file: problem.file, line: problem.line }, `knowledge file rejected: ${problem.message}`);
    return this.sync(loaded);
  }

  /**
   * Make the stored file documents match a folder read: files unchanged since they were last
   * ingested are skipped; in the others, new documents are added, changed ones re-embedded and
   * missing ones deleted. Documents of rejected files are left as they were.
   */
  sync(loaded: LoadedKnowledge): Promise<IngestReport> {
    return this.#serialised(async () => {
      const recorded = new Map((this.#db.prepare("SELECT source, hash FROM source_files").all() as { source: string; hash: string }[]).map((row) => [row.source, row.hash]));
      const rejected = new Set(loaded.rejectedSources);
      const changedSources = new Set(
        loaded.sources.filter((source) => !rejected.has(source) && (!loaded.fileHashes || recorded.get(source) !== loaded.fileHashes.get(source))),
      );
      const seen = new Set(loaded.sources);
      const documents = loaded.documents.filter((document) => changedSources.has(document.source));
      const incoming = new Set(documents.map((document) => document.id));
      const deletes = (this.#db.prepare("SELECT id, source FROM documents WHERE source LIKE 'file:%'").all() as { id: string; source: string }[])
        .filter((row) => !rejected.has(row.source) && (!seen.has(row.source) || (changedSources.has(row.source) && !incoming.has(row.id))))
        .map((row) => row.id);
      const report = await this.#apply({ upserts: documents, deletes, origin: "files", problems: loaded.problems });
      transaction(this.#db, () => {
        for (const source of recorded.keys()) if (!seen.has(source)) this.#db.prepare("DELETE FROM source_files WHERE source = ?").run(source);
        for (const source of changedSources) {
          const hash = loaded.fileHashes?.get(source);
          if (hash) this.#db.prepare("INSERT INTO source_files (source, hash) VALUES (?, ?) ON CONFLICT(source) DO UPDATE SET hash = excluded.hash").run(source, hash);
        }
      });
      return { ...report, unchanged: loaded.documents.length - report.added - report.updated };
    });
  }

  applyChanges(changes: KnowledgeChanges): Promise<IngestReport> {
    return this.#serialised(async () => {
      const known = new Set((this.#db.prepare("SELECT id FROM documents").all() as { id: string }[]).map((row) => row.id));
      const missing = changes.deletes.filter((id) => !known.has(id));
      if (missing.length > 0) throw new AppError("NOT_FOUND", `No such document: ${missing.join(", ")}.`);
      return this.#apply({ upserts: changes.upserts, deletes: changes.deletes, origin: changes.origin, problems: [] });
    });
  }

  rollback(target: number): Promise<IngestReport> {
    return this.#serialised(async () => {
      if (!this.#db.prepare("SELECT 1 FROM versions WHERE version = ?").get(target)) throw new AppError("NOT_FOUND", `There is no version ${target}.`);
      const rows = this.#db
        .prepare(
          `SELECT h.document_id, h.op, h.content FROM document_history h
           WHERE h.version = (SELECT max(version) FROM document_history WHERE document_id = h.document_id AND version <= ?)`,
        )
        .all(target) as { document_id: string; op: string; content: string | null }[];
      const wanted = rows.filter((row) => row.op === "upsert" && row.content).map((row) => JSON.parse(row.content!) as SourceDocument);
      const wantedIds = new Set(wanted.map((document) => document.id));
      const deletes = (this.#db.prepare("SELECT id FROM documents").all() as { id: string }[]).map((row) => row.id).filter((id) => !wantedIds.has(id));
      return this.#apply({ upserts: wanted, deletes, origin: `rollback:${target}`, problems: [] });
    });
  }

  async listVersions(limit = 100): Promise<KnowledgeVersion[]> {
    return (this.#db.prepare("SELECT * FROM versions ORDER BY version DESC LIMIT ?").all(limit) as { version: number; created_at: string; origin: string; added: number; updated: number; removed: number }[]).map(
      (row) => ({ version: row.version, createdAt: row.created_at, origin: row.origin, added: row.added, updated: row.updated, removed: row.removed }),
    );
  }

  async listDocuments(options: { search?: string; limit: number }): Promise<DocumentInfo[]> {
    const search = options.search ? `%${options.search.replace(/[\\%_]/g, (character) => `\\${character}`)}%` : null;
    return (this.#db
      .prepare(
        `SELECT d.*, (SELECT count(*) FROM passages p WHERE p.document_id = d.id) AS passages FROM documents d
         WHERE ? IS NULL OR d.id LIKE ? ESCAPE '\\' OR d.title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM passages p WHERE p.document_id = d.id AND p.text LIKE ? ESCAPE '\\')
         ORDER BY d.updated_at DESC, d.id LIMIT ?`,
      )
      .all(search, search, search, search, options.limit) as { id: string; source: string; hash: string; product_id: string | null; lang: string; kind: string; title: string; url: string | null; updated_at: string; passages: number }[]).map((row) => ({
      id: row.id, source: row.source, hash: row.hash, productId: row.product_id, lang: row.lang, kind: row.kind, title: row.title, url: row.url, updatedAt: row.updated_at, passages: row.passages,
    }));
  }

  async productHashes(): Promise<ProductHashes> {
    const hashes: ProductHashes = { ids: [], hashes: [] };
    for (const row of this.#db.prepare("SELECT id, hash FROM documents WHERE kind = 'product' ORDER BY id").iterate() as Iterable<{ id: string; hash: string }>) {
      hashes.ids.push(row.id);
      hashes.hashes.push(row.hash);
    }
    return hashes;
  }

  async documentChangesSince(version: number): Promise<DocumentChanges | null> {
    const current = this.#version;
    if (!Number.isInteger(version) || version < 0 || version > current) return null;
    const changes: DocumentChanges = { version: current, ids: [], hashes: [] };
    const rows = this.#db.prepare(
      `SELECT h.id, CASE WHEN d.kind = 'product' THEN d.hash END AS hash
       FROM (SELECT DISTINCT document_id AS id FROM document_history WHERE version > ?) h LEFT JOIN documents d ON d.id = h.id
       ORDER BY h.id`,
    ).iterate(version) as Iterable<{ id: string; hash: string | null }>;
    for (const row of rows) {
      changes.ids.push(row.id);
      changes.hashes.push(row.hash);
    }
    return changes;
  }

  async getDocument(id: string): Promise<SourceDocument | null> {
    return readDocument(this.#db, id);
  }

  snapshotTo(directory: string): Promise<void> {
    return this.#serialised(async () => {
      await mkdir(directory, { recursive: true });
      this.#db.prepare("VACUUM INTO ?").run(join(directory, "knowledge.db"));
    });
  }

  async listDocumentIds(source: string): Promise<string[]> {
    return (this.#db.prepare("SELECT id FROM documents WHERE source = ?").all(source) as { id: string }[]).map((row) => row.id);
  }

  async hasDocument(id: string): Promise<boolean> {
    return documentExists(this.#db, id);
  }

  async close(): Promise<void> {
    await this.#queue.catch(() => undefined);
    this.#stopCheckpoints();
    if (this.#db.isOpen) this.#db.close();
  }

  #serialised<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(work, work);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #apply(input: { upserts: SourceDocument[]; deletes: string[]; origin: string; problems: KnowledgeProblem[] }): Promise<IngestReport> {
    const existing = new Map((this.#db.prepare("SELECT id, hash, source FROM documents").all() as { id: string; hash: string; source: string }[]).map((row) => [row.id, row]));
    const changed = input.upserts.map((document) => ({ document, hash: hashDocument(document) })).filter(({ document, hash }) => existing.get(document.id)?.hash !== hash);
    const moved = input.upserts.filter((document) => existing.has(document.id) && existing.get(document.id)!.source !== document.source && existing.get(document.id)!.hash === hashDocument(document));
    const removed = input.deletes.filter((id) => existing.has(id) && !changed.some(({ document }) => document.id === id));
    const updated = changed.filter(({ document }) => existing.has(document.id)).length;
    const report = (version: number): IngestReport => ({
      version, added: changed.length - updated, updated, removed: removed.length, unchanged: input.upserts.length - changed.length, passages: this.#passageCount, problems: input.problems,
    });
    for (const document of moved) this.#db.prepare("UPDATE documents SET source = ? WHERE id = ?").run(document.source, document.id);
    if (changed.length === 0 && removed.length === 0) return report(this.#version);

    // 1. Split; passages that did not change keep their rows; embed the rest, yielding between batches.
    const readStored = this.#db.prepare("SELECT label, key, document_id AS documentId, product_id AS productId, lang, kind, title, text, url FROM passages WHERE document_id = ?");
    const passages: Passage[] = [];
    const gone: PassageChanges["removed"] = [];
    for (const { document } of changed) {
      const stored = existing.has(document.id) ? (readStored.all(document.id) as StoredPassage[]) : [];
      const diff = diffPassages(stored, await splitDocument(document));
      passages.push(...diff.added);
      gone.push(...diff.removed);
    }
    const vectors = await embedInBatches(this.#embedder, passages.map(indexedText));
    const terms = passages.map((passage) => lexicalTerms(segmentWords(indexedText(passage))).join(" "));

    const firstLabel = this.#nextLabel();
    const labels = passages.map((_, position) => firstLabel + position);

    // 2. One transaction publishes the version, with the labels it removes.
    const now = new Date().toISOString();
    const version = transaction(this.#db, () => {
      const next = this.#version + 1;
      const recordRemoved = this.#db.prepare("INSERT INTO removed_labels (version, label, product_id) VALUES (?, ?, ?)");
      const deleteTerms = this.#db.prepare("DELETE FROM passage_terms WHERE rowid = ?");
      const deletePassage = this.#db.prepare("DELETE FROM passages WHERE label = ?");
      for (const passage of gone) {
        deleteTerms.run(passage.label);
        deletePassage.run(passage.label);
        recordRemoved.run(next, passage.label, passage.productId);
      }
      for (const id of removed) for (const row of this.#deleteDocument(id)) recordRemoved.run(next, row.label, row.product_id);
      const upsertDocument = this.#db.prepare(
        `INSERT INTO documents (id, source, hash, product_id, lang, kind, title, url, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET source = excluded.source, hash = excluded.hash, product_id = excluded.product_id, lang = excluded.lang,
           kind = excluded.kind, title = excluded.title, url = excluded.url, updated_at = excluded.updated_at`,
      );
      const insertPassage = this.#db.prepare("INSERT INTO passages (label, key, document_id, product_id, lang, kind, title, text, url, embedding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      const insertTerms = this.#db.prepare("INSERT INTO passage_terms (rowid, tokens) VALUES (?, ?)");
      const insertHistory = this.#db.prepare("INSERT INTO document_history (version, document_id, op, content) VALUES (?, ?, ?, ?)");
      for (const { document, hash } of changed) {
        upsertDocument.run(document.id, document.source, hash, document.productId, document.lang, document.kind, document.title, document.url, now);
        insertHistory.run(next, document.id, "upsert", JSON.stringify(document));
      }
      passages.forEach((passage, position) => {
        const vector = vectors[position]!;
        insertPassage.run(
          labels[position]!, passage.key, passage.documentId, passage.productId, passage.lang, passage.kind, passage.title, passage.text, passage.url,
          new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength),
        );
        insertTerms.run(labels[position]!, terms[position]!);
      });
      for (const id of removed) insertHistory.run(next, id, "delete", null);
      this.#db.prepare("INSERT INTO versions (version, created_at, origin, added, updated, removed) VALUES (?, ?, ?, ?, ?, ?)").run(next, now, input.origin, changed.length - updated, updated, removed.length);
      this.#setMeta("version", String(next));
      return next;
    });
    const result = report(version);
    this.#logger.info({ ...result, problems: input.problems.length, origin: input.origin }, "knowledge version published");
    return result;
  }

  #nextLabel(): number {
    const row = this.#db.prepare("SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'passages'), 0), coalesce((SELECT max(label) FROM passages), 0)) AS last").get() as { last: number };
    // Labels are never reused (AUTOINCREMENT): search indexes follow versions by label.
    return Math.max(row.last, Number(this.#meta("lastLabel") ?? 0)) + 1;
  }

  #deleteDocument(id: string): { label: number; product_id: string | null }[] {
    const rows = this.#db.prepare("SELECT label, product_id FROM passages WHERE document_id = ?").all(id) as { label: number; product_id: string | null }[];
    const deleteTerms = this.#db.prepare("DELETE FROM passage_terms WHERE rowid = ?");
    for (const row of rows) deleteTerms.run(row.label);
    this.#db.prepare("DELETE FROM documents WHERE id = ?").run(id);
    return rows;
  }


  /** The embedder changed: embed every stored passage again with the new one. */
  async #reembedAll(): Promise<void> {
    const rows = this.#db.prepare("SELECT label, title, text FROM passages ORDER BY label").all() as { label: number; title: string; text: string }[];
    if (rows.length > 0) this.#logger.info({ passages: rows.length, embedder: this.#embedder.id }, "embedder changed, embedding passages again");
    const vectors = await embedInBatches(this.#embedder, rows.map(indexedText));
    const update = this.#db.prepare("UPDATE passages SET embedding = ? WHERE label = ?");
    transaction(this.#db, () => {
      rows.forEach((row, position) => {
        const vector = vectors[position]!;
        update.run(new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength), row.label);
      });
      this.#setMeta("embedder", this.#embedder.id);
    });
  }

  #meta(key: string): string | undefined {
    return (this.#db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined)?.value;
  }

  #setMeta(key: string, value: string): void {
    this.#db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(key, value);
  }
}
