import { existsSync } from "node:fs";
import { join } from "node:path";
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
];

const EMBED_BATCH = 64;

type PassageRow = {
  label: number;
  key: string;
  document_id: string;
  product_id: string | null;
  lang: string;
  kind: string;
  title: string;
  text: string;
  url: string | null;
};

/**
 * The searchable knowledge: documents and passages in SQLite (lexical search with FTS5 over
 * Intl.Segmenter words), their embeddings beside them, and an hnswlib index over the embeddings
 * whose labels are passage row ids. Ingestion is incremental by content hash and serialised.
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

  /**
   * Make the stored file documents match a folder read: add new, re-embed changed, delete those
   * whose file no longer holds them. Documents of rejected files are left as they were.
   */
  sync(loaded: LoadedKnowledge): Promise<IngestReport> {
    return this.#serialised(() => this.#apply(loaded.documents, loaded.problems, (source) => source.startsWith("file:") && !loaded.rejectedSources.includes(source)));
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
    return this.#index.search(vector, Math.min(limit, labels.size), (label) => labels.has(label));
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

  async #apply(documents: SourceDocument[], problems: KnowledgeProblem[], removable: (source: string) => boolean): Promise<IngestReport> {
    const existing = new Map(
      (this.#db.prepare("SELECT id, hash, source FROM documents").all() as { id: string; hash: string; source: string }[]).map((row) => [row.id, row]),
    );
    const incoming = new Set(documents.map((document) => document.id));
    const changed = documents.map((document) => ({ document, hash: hashDocument(document) })).filter(({ document, hash }) => existing.get(document.id)?.hash !== hash);
    const removed = [...existing.values()].filter((row) => !incoming.has(row.id) && removable(row.source)).map((row) => row.id);

    const passages: Passage[] = [];
    for (const { document } of changed) passages.push(...(await splitDocument(document)));
    const vectors = await this.#embedInBatches(passages.map(indexedText));

    const now = new Date().toISOString();
    const deleteLabels: number[] = [];
    const addLabels: number[] = [];
    const insertDocument = this.#db.prepare(
      "INSERT INTO documents (id, source, hash, product_id, lang, kind, title, url, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    const insertPassage = this.#db.prepare(
      "INSERT INTO passages (key, document_id, product_id, lang, kind, title, text, url, embedding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING label",
    );
    const insertTerms = this.#db.prepare("INSERT INTO passage_terms (rowid, tokens) VALUES (?, ?)");
    const version = transaction(this.#db, () => {
      for (const id of [...changed.map(({ document }) => document.id), ...removed]) deleteLabels.push(...this.#deleteDocument(id));
      let passageIndex = 0;
      for (const { document, hash } of changed) {
        insertDocument.run(document.id, document.source, hash, document.productId, document.lang, document.kind, document.title, document.url, now);
        while (passageIndex < passages.length && passages[passageIndex]!.documentId === document.id) {
          const passage = passages[passageIndex]!;
          const vector = vectors[passageIndex]!;
          const { label } = insertPassage.get(
            passage.key, passage.documentId, passage.productId, passage.lang, passage.kind, passage.title, passage.text, passage.url,
            new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength),
          ) as { label: number };
          insertTerms.run(label, lexicalTerms(segmentWords(indexedText(passage))).join(" "));
          addLabels.push(label);
          passageIndex += 1;
        }
      }
      const next = this.version + (changed.length > 0 || removed.length > 0 ? 1 : 0);
      this.#setMeta("version", String(next));
      return next;
    });

    for (const label of deleteLabels) this.#index.remove(label);
    addLabels.forEach((label, position) => this.#index.add(label, vectors[position]!));
    this.#refreshProductLabels();
    if (changed.length > 0 || removed.length > 0) await this.#saveIndex(version);

    const updated = changed.filter(({ document }) => existing.has(document.id)).length;
    const report = {
      version,
      added: changed.length - updated,
      updated,
      removed: removed.length,
      unchanged: documents.length - changed.length,
      passages: this.passageCount,
      problems,
    };
    this.#logger.info({ ...report, problems: problems.length }, "knowledge synced");
    return report;
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
        const loaded = await HnswVectorIndex.load(this.#indexPath, { dimensions, ef: this.#ef });
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
    for (const row of this.#db.prepare("SELECT label, embedding FROM passages").iterate() as Iterable<{ label: number; embedding: Uint8Array }>) {
      index.add(row.label, new Float32Array(row.embedding.buffer.slice(row.embedding.byteOffset, row.embedding.byteOffset + row.embedding.byteLength)));
    }
    this.#index = index;
    this.#refreshProductLabels();
    if (count > 0) await this.#saveIndex(this.version);
    this.#logger.info({ passages: count, version: this.version }, "vector index built");
  }

  async #saveIndex(version: number): Promise<void> {
    if (this.#index.deletedCount > Math.max(100, this.#index.size * 0.2)) {
      // Too many tombstones: rebuild compactly from the stored embeddings.
      this.#setMeta("indexVersion", "-1");
      await this.#loadOrRebuildIndex();
      return;
    }
    await this.#index.save(this.#indexPath);
    this.#setMeta("indexVersion", String(version));
  }

  #refreshProductLabels(): void {
    const map = new Map<string, Set<number>>();
    for (const row of this.#db.prepare("SELECT label, product_id FROM passages WHERE product_id IS NOT NULL").iterate() as Iterable<{ label: number; product_id: string }>) {
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
  return {
    label: row.label,
    key: row.key,
    documentId: row.document_id,
    productId: row.product_id,
    lang: row.lang as Passage["lang"],
    kind: row.kind,
    title: row.title,
    text: row.text,
    url: row.url,
  };
}
