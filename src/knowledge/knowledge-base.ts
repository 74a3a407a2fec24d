import { existsSync } from "node:fs";
import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { Embedder } from "../retrieval/embedder.ts";
import { HnswVectorIndex } from "../retrieval/vector-index.ts";
import { openDatabase, transaction, type Database } from "../storage/database.ts";
import { contentWords, lexicalTerms, segmentWords } from "../text/segment.ts";
import type { LoadedKnowledge } from "./load-knowledge.ts";
import type { KnowledgeProblem, SourceDocument } from "./source-document.ts";
import { hashDocument, indexedText, splitDocument, type Passage } from "./split-passages.ts";

export type StoredPassage = Passage & { label: number };

export type IngestReport = {
  version: number;
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  passages: number;
  problems: KnowledgeProblem[];
};

export type KnowledgeVersion = { version: number; createdAt: string; origin: string; added: number; updated: number; removed: number };

export type DocumentInfo = { id: string; source: string; productId: string | null; lang: string; kind: string; title: string; url: string | null; updatedAt: string; passages: number };

const MIGRATIONS = [
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
];

const EMBED_BATCH = 64;
/** Vectors added to the index between two yields to the event loop. */
const INDEX_BATCH = 25;

type PassageRow = { label: number; key: string; document_id: string; product_id: string | null; lang: string; kind: string; title: string; text: string; url: string | null };

/**
 * The searchable knowledge: documents and passages in SQLite (lexical search with FTS5 over
 * Intl.Segmenter words and Han bigrams), their embeddings beside them, and an hnswlib index over
 * the embeddings whose labels are passage row ids.
 *
 * Every change is one new version, applied so that search never sees half of it: new vectors
 * enter the index first, in small batches that leave the event loop free (their labels are not
 * in SQLite yet, so search cannot return them), then one SQLite transaction and the removal of
 * old labels switch to the new version in a single synchronous step. Changes are serialised.
 */
export class KnowledgeBase {
  readonly #db: Database;
  readonly #embedder: Embedder;
  readonly #indexPath: string;
  readonly #ef: number;
  readonly #logger: Logger;
  #index: HnswVectorIndex;
  #labelsByProduct = new Map<string, Set<number>>();
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(db: Database, embedder: Embedder, index: HnswVectorIndex, options: { indexPath: string; ef: number; logger: Logger }) {
    this.#db = db;
    this.#embedder = embedder;
    this.#index = index;
    this.#indexPath = options.indexPath;
    this.#ef = options.ef;
    this.#logger = options.logger;
  }

  static async open(options: { dataDir: string; embedder: Embedder; ef: number; synchronous: "full" | "normal"; logger: Logger }): Promise<KnowledgeBase> {
    const db = openDatabase(join(options.dataDir, "knowledge.db"), { migrations: MIGRATIONS, synchronous: options.synchronous });
    const indexPath = join(options.dataDir, "vectors.hnsw");
    const placeholder = HnswVectorIndex.create({ dimensions: options.embedder.dimensions, capacity: 16, ef: options.ef });
    const base = new KnowledgeBase(db, options.embedder, placeholder, { indexPath, ef: options.ef, logger: options.logger });
    if (base.#meta("embedder") !== options.embedder.id) await base.#reembedAll();
    await base.#loadOrRebuildIndex();
    return base;
  }

  get version(): number {
    return Number(this.#meta("version") ?? 0);
  }

  get passageCount(): number {
    return (this.#db.prepare("SELECT count(*) AS n FROM passages").get() as { n: number }).n;
  }

  get embedderId(): string {
    return this.#embedder.id;
  }

  /** How much the embedder's ranking should count in fusion (see Embedder.fusionWeight). */
  get denseWeight(): number {
    return this.#embedder.fusionWeight ?? 1;
  }

  /** How much the embedder's store-wide ranking should count in fusion (see Embedder.storeWideFusionWeight). */
  get storeWideDenseWeight(): number {
    return this.#embedder.storeWideFusionWeight ?? this.denseWeight;
  }

  /** Entries in the vector index, live and deleted: for checking the index matches the passages. */
  get indexStats(): { live: number; deleted: number } {
    return { live: this.#index.size, deleted: this.#index.deletedCount };
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

  /** Add or replace documents and delete others by id, as one new version (the admin API's way in). */
  applyChanges(changes: { upserts: SourceDocument[]; deletes: string[]; origin: string }): Promise<IngestReport> {
    return this.#serialised(async () => {
      const known = new Set((this.#db.prepare("SELECT id FROM documents").all() as { id: string }[]).map((row) => row.id));
      const missing = changes.deletes.filter((id) => !known.has(id));
      if (missing.length > 0) throw new AppError("NOT_FOUND", `No such document: ${missing.join(", ")}.`);
      return this.#apply({ upserts: changes.upserts, deletes: changes.deletes, origin: changes.origin, problems: [] });
    });
  }

  /** Publish the documents as they were at an earlier version, as a new version. */
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

  listVersions(limit = 100): KnowledgeVersion[] {
    return (this.#db.prepare("SELECT * FROM versions ORDER BY version DESC LIMIT ?").all(limit) as { version: number; created_at: string; origin: string; added: number; updated: number; removed: number }[]).map(
      (row) => ({ version: row.version, createdAt: row.created_at, origin: row.origin, added: row.added, updated: row.updated, removed: row.removed }),
    );
  }

  listDocuments(options: { search?: string; limit: number }): DocumentInfo[] {
    const search = options.search ? `%${options.search.replace(/[\\%_]/g, (character) => `\\${character}`)}%` : null;
    return (this.#db
      .prepare(
        `SELECT d.*, (SELECT count(*) FROM passages p WHERE p.document_id = d.id) AS passages FROM documents d
         WHERE ? IS NULL OR d.id LIKE ? ESCAPE '\\' OR d.title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM passages p WHERE p.document_id = d.id AND p.text LIKE ? ESCAPE '\\')
         ORDER BY d.updated_at DESC, d.id LIMIT ?`,
      )
      .all(search, search, search, search, options.limit) as { id: string; source: string; product_id: string | null; lang: string; kind: string; title: string; url: string | null; updated_at: string; passages: number }[]).map((row) => ({
      id: row.id, source: row.source, productId: row.product_id, lang: row.lang, kind: row.kind, title: row.title, url: row.url, updatedAt: row.updated_at, passages: row.passages,
    }));
  }

  /** A document as last published (for editing), or null. */
  getDocument(id: string): SourceDocument | null {
    if (!this.#db.prepare("SELECT 1 FROM documents WHERE id = ?").get(id)) return null;
    const row = this.#db.prepare("SELECT content FROM document_history WHERE document_id = ? AND op = 'upsert' ORDER BY version DESC LIMIT 1").get(id) as { content: string } | undefined;
    return row ? (JSON.parse(row.content) as SourceDocument) : null;
  }

  /** Copy the published state to another folder (to build a candidate version there without touching this one). */
  snapshotTo(directory: string): Promise<void> {
    return this.#serialised(async () => {
      await mkdir(directory, { recursive: true });
      this.#db.prepare("VACUUM INTO ?").run(join(directory, "knowledge.db"));
      if (this.#meta("indexVersion") === String(this.version) && existsSync(this.#indexPath)) await copyFile(this.#indexPath, join(directory, "vectors.hnsw"));
    });
  }

  listDocumentIds(source: string): string[] {
    return (this.#db.prepare("SELECT id FROM documents WHERE source = ?").all(source) as { id: string }[]).map((row) => row.id);
  }

  hasDocument(id: string): boolean {
    return Boolean(this.#db.prepare("SELECT 1 FROM documents WHERE id = ?").get(id));
  }

  /** Lexical candidates: BM25 over segmented words, best first. */
  searchLexical(query: string, limit: number, productId?: string | null): { label: number; score: number }[] {
    const words = contentWords(query);
    const terms = [...new Set(lexicalTerms(words.length > 0 ? words : segmentWords(query)))].slice(0, 64);
    if (terms.length === 0) return [];
    const match = terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(" OR ");
    const sql = productId
      ? `SELECT rowid AS label, -bm25(passage_terms) AS score FROM passage_terms
         WHERE passage_terms MATCH ? AND rowid IN (SELECT label FROM passages WHERE product_id = ?) ORDER BY bm25(passage_terms) LIMIT ?`
      : `SELECT rowid AS label, -bm25(passage_terms) AS score FROM passage_terms WHERE passage_terms MATCH ? ORDER BY bm25(passage_terms) LIMIT ?`;
    const statement = this.#db.prepare(sql);
    return (productId ? statement.all(match, productId, limit) : statement.all(match, limit)) as { label: number; score: number }[];
  }

  /** Dense candidates: nearest passages by cosine similarity, best first. */
  searchDense(vector: Float32Array, limit: number, productId?: string | null): { label: number; similarity: number }[] {
    if (!productId) return this.#index.search(vector, limit);
    const labels = this.#labelsByProduct.get(productId);
    if (!labels || labels.size === 0) return [];
    return this.#index.scoreExactly(vector, labels, limit);
  }

  getPassages(labels: readonly number[]): Map<number, StoredPassage> {
    const rows = this.#db
      .prepare("SELECT label, key, document_id, product_id, lang, kind, title, text, url FROM passages WHERE label IN (SELECT value FROM json_each(?))")
      .all(JSON.stringify(labels)) as PassageRow[];
    return new Map(rows.map((row) => [row.label, toPassage(row)]));
  }

  hasProduct(productId: string): boolean {
    return this.#labelsByProduct.has(productId);
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.#embedder.embed([text]);
    return vector!;
  }

  async close(): Promise<void> {
    await this.#queue.catch(() => undefined);
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
      version, added: changed.length - updated, updated, removed: removed.length, unchanged: input.upserts.length - changed.length, passages: this.passageCount, problems: input.problems,
    });
    for (const document of moved) this.#db.prepare("UPDATE documents SET source = ? WHERE id = ?").run(document.source, document.id);
    if (changed.length === 0 && removed.length === 0) return report(this.version);

    // 1. Split and embed, yielding between batches.
    const passages: Passage[] = [];
    for (const { document } of changed) passages.push(...(await splitDocument(document)));
    const vectors = await this.#embedInBatches(passages.map(indexedText));

    // 2. New vectors enter the index under labels SQLite does not have yet: invisible to search.
    const firstLabel = this.#nextLabel();
    const labels = passages.map((_, position) => firstLabel + position);
    try {
      for (let start = 0; start < labels.length; start += INDEX_BATCH) {
        for (let position = start; position < Math.min(labels.length, start + INDEX_BATCH); position += 1) this.#index.add(labels[position]!, vectors[position]!);
        if (start + INDEX_BATCH < labels.length) await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      for (const label of labels) this.#index.remove(label);
      throw error;
    }

    // 3. One transaction publishes the version; removing the old labels follows in the same tick.
    const now = new Date().toISOString();
    const touchedProducts = new Set<string>(changed.flatMap(({ document }) => (document.productId ? [document.productId] : [])));
    for (const id of removed) {
      const row = this.#db.prepare("SELECT product_id FROM documents WHERE id = ?").get(id) as { product_id: string | null } | undefined;
      if (row?.product_id) touchedProducts.add(row.product_id);
    }
    const oldLabels: number[] = [];
    let version: number;
    try {
      version = transaction(this.#db, () => {
        const next = this.version + 1;
        for (const id of [...changed.map(({ document }) => document.id), ...removed]) oldLabels.push(...this.#deleteDocument(id));
        const insertDocument = this.#db.prepare("INSERT INTO documents (id, source, hash, product_id, lang, kind, title, url, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        const insertPassage = this.#db.prepare("INSERT INTO passages (label, key, document_id, product_id, lang, kind, title, text, url, embedding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        const insertTerms = this.#db.prepare("INSERT INTO passage_terms (rowid, tokens) VALUES (?, ?)");
        const insertHistory = this.#db.prepare("INSERT INTO document_history (version, document_id, op, content) VALUES (?, ?, ?, ?)");
        for (const { document, hash } of changed) {
          insertDocument.run(document.id, document.source, hash, document.productId, document.lang, document.kind, document.title, document.url, now);
          insertHistory.run(next, document.id, "upsert", JSON.stringify(document));
        }
        passages.forEach((passage, position) => {
          const vector = vectors[position]!;
          insertPassage.run(
            labels[position]!, passage.key, passage.documentId, passage.productId, passage.lang, passage.kind, passage.title, passage.text, passage.url,
            new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength),
          );
          insertTerms.run(labels[position]!, lexicalTerms(segmentWords(indexedText(passage))).join(" "));
        });
        for (const id of removed) insertHistory.run(next, id, "delete", null);
        this.#db.prepare("INSERT INTO versions (version, created_at, origin, added, updated, removed) VALUES (?, ?, ?, ?, ?, ?)").run(next, now, input.origin, changed.length - updated, updated, removed.length);
        this.#setMeta("version", String(next));
        this.#setMeta("indexVersion", "-1");
        return next;
      });
    } catch (error) {
      for (const label of labels) this.#index.remove(label);
      throw error;
    }
    for (const label of oldLabels) this.#index.remove(label);
    this.#refreshProductLabels(touchedProducts);

    // 4. Persist the index for a fast start next time (a crash before this just means a rebuild).
    await this.#saveIndex(version);
    const result = report(version);
    this.#logger.info({ ...result, problems: input.problems.length, origin: input.origin }, "knowledge version published");
    return result;
  }

  #nextLabel(): number {
    const row = this.#db.prepare("SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'passages'), 0), coalesce((SELECT max(label) FROM passages), 0)) AS last").get() as { last: number };
    // Labels are never reused: hnswlib keeps deleted labels until the index is rebuilt.
    const last = Math.max(row.last, Number(this.#meta("lastLabel") ?? 0), this.#index.maxLabel);
    return last + 1;
  }

  #deleteDocument(id: string): number[] {
    const labels = (this.#db.prepare("SELECT label FROM passages WHERE document_id = ?").all(id) as { label: number }[]).map((row) => row.label);
    const deleteTerms = this.#db.prepare("DELETE FROM passage_terms WHERE rowid = ?");
    for (const label of labels) deleteTerms.run(label);
    this.#db.prepare("DELETE FROM documents WHERE id = ?").run(id);
    return labels;
  }

  async #embedInBatches(texts: string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += EMBED_BATCH) {
      vectors.push(...(await this.#embedder.embed(texts.slice(start, start + EMBED_BATCH))));
      if (start + EMBED_BATCH < texts.length) await new Promise((resolve) => setImmediate(resolve));
    }
    return vectors;
  }

  /** The embedder changed: embed every stored passage again with the new one. */
  async #reembedAll(): Promise<void> {
    const rows = this.#db.prepare("SELECT label, title, text FROM passages ORDER BY label").all() as { label: number; title: string; text: string }[];
    if (rows.length > 0) this.#logger.info({ passages: rows.length, embedder: this.#embedder.id }, "embedder changed, embedding passages again");
    const vectors = await this.#embedInBatches(rows.map(indexedText));
    const update = this.#db.prepare("UPDATE passages SET embedding = ? WHERE label = ?");
    transaction(this.#db, () => {
      rows.forEach((row, position) => {
        const vector = vectors[position]!;
        update.run(new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength), row.label);
      });
      this.#setMeta("embedder", this.#embedder.id);
      this.#setMeta("indexVersion", "-1");
    });
  }

  /** Reuse the saved index when it was saved for this version with no deleted entries; rebuild it otherwise. */
  async #loadOrRebuildIndex(): Promise<void> {
    const dimensions = this.#embedder.dimensions;
    const count = this.passageCount;
    if (this.#meta("indexVersion") === String(this.version) && existsSync(this.#indexPath)) {
      try {
        const loaded = await HnswVectorIndex.load(this.#indexPath, { dimensions, ef: this.#ef, deleted: Number(this.#meta("indexDeleted") ?? 0) });
        if (loaded.size === count) {
          this.#index = loaded;
          this.#refreshProductLabels();
          this.#logger.info({ passages: count, version: this.version }, "vector index loaded");
          return;
        }
      } catch (error) {
        this.#logger.warn({ err: error }, "saved vector index unreadable, rebuilding");
      }
    }
    const index = HnswVectorIndex.create({ dimensions, capacity: Math.ceil(count * 1.2) + 16, ef: this.#ef });
    let added = 0;
    for (const row of this.#db.prepare("SELECT label, embedding FROM passages").iterate() as Iterable<{ label: number; embedding: Uint8Array }>) {
      index.add(row.label, new Float32Array(row.embedding.buffer.slice(row.embedding.byteOffset, row.embedding.byteOffset + row.embedding.byteLength)));
      if (++added % 5_000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    this.#index = index;
    this.#refreshProductLabels();
    if (count > 0) await this.#saveIndex(this.version);
    this.#logger.info({ passages: count, version: this.version }, "vector index built");
  }

  async #saveIndex(version: number): Promise<void> {
    if (this.#index.deletedCount > Math.max(100, this.#index.size * 0.2)) {
      // Too many tombstones: rebuild compactly from the stored embeddings.
      this.#setMeta("lastLabel", String(this.#nextLabel() - 1));
      this.#setMeta("indexVersion", "-1");
      await this.#loadOrRebuildIndex();
      return;
    }
    await this.#index.save(this.#indexPath);
    this.#setMeta("indexDeleted", String(this.#index.deletedCount));
    this.#setMeta("indexVersion", String(version));
  }

  /** The labels of each product's passages: all of them, or only those of the products given. */
  #refreshProductLabels(products?: ReadonlySet<string>): void {
    const map = products ? this.#labelsByProduct : new Map<string, Set<number>>();
    const rows = products
      ? this.#db.prepare("SELECT label, product_id FROM passages WHERE product_id IN (SELECT value FROM json_each(?))").iterate(JSON.stringify([...products]))
      : this.#db.prepare("SELECT label, product_id FROM passages WHERE product_id IS NOT NULL").iterate();
    if (products) for (const product of products) map.delete(product);
    for (const row of rows as Iterable<{ label: number; product_id: string }>) {
      let labels = map.get(row.product_id);
      if (!labels) map.set(row.product_id, (labels = new Set()));
      labels.add(row.label);
    }
    this.#labelsByProduct = map;
  }

  #meta(key: string): string | undefined {
    return (this.#db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined)?.value;
  }

  #setMeta(key: string, value: string): void {
    this.#db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(key, value);
  }
}

function toPassage(row: PassageRow): StoredPassage {
  return { label: row.label, key: row.key, documentId: row.document_id, productId: row.product_id, lang: row.lang as Passage["lang"], kind: row.kind, title: row.title, text: row.text, url: row.url };
}
