import { existsSync } from "node:fs";
import { copyFile, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { threadId } from "node:worker_threads";
import type { StoredPassage } from "./passage.ts";
import { HnswVectorIndex, type HnswShape } from "./vector-index.ts";
import { searchPassageTerms } from "./lexical-query.ts";
import { SNAPSHOT_RENEW_MS } from "../storage/database.ts";

export type LexicalHit = { label: number; score: number };
export type DenseHit = { label: number; similarity: number };
export type PassageFacts = { productId: string | null; lang: StoredPassage["lang"] };

/** What retrieval reads, synchronously, inside one consistent snapshot (see SqlitePassageReader.withSnapshot). */
export interface PassageSource {
  readonly version: number;
  searchLexical(query: string, limit: number, productId?: string | null): LexicalHit[];
  searchDense(vector: Float32Array, limit: number, productId?: string | null): DenseHit[];
  getPassages(labels: readonly number[]): Map<number, StoredPassage>;
  /** What ranking needs of many candidates (reading whole passages costs several times as much). */
  describePassages(labels: readonly number[]): Map<number, PassageFacts>;
  hasProduct(productId: string): boolean;
  /** Run a synchronous read against one consistent version. */
  withSnapshot<T>(read: () => T): T;
}

export type ReaderOptions = { dataDir: string; dimensions: number; ef: number; shape: HnswShape; renewSnapshotMs?: number };

/** What the saved index file holds, written beside it; a reader loads the file and catches up from there. */
type Checkpoint = { version: number; embedder: string; deleted: number; m: number; efConstruction: number };

type PassageRow = { label: number; key: string; document_id: string; product_id: string | null; lang: string; kind: string; title: string; text: string; url: string | null };

/** Work done between two yields while following a new version, so that searches wait at most about this long. */
const SLICE_MS = 8;

/**
 * Deleted entries, as a share of the live ones, past which the reader rebuilds its index from the
 * stored embeddings instead of catching up (past at least a hundred). New passages take deleted
 * entries' slots, so entries stay deleted only when a version removes more than the next adds.
 * A rebuilt index has room for that many more entries before it must grow.
 */
const TOMBSTONE_SHARE = 0.1;

/**
 * The read side of the knowledge: SQLite (passages and their FTS5 terms, read-only) and an
 * hnswlib index derived from the stored embeddings, following the published versions by itself.
 *
 * Searches read a pinned snapshot: a read transaction on one connection, at the version the
 * index matches. When a newer version is published, a second connection opens a transaction on
 * it and the reader catches up in slices of about SLICE_MS (new vectors are added under labels
 * the pinned snapshot does not have, so searches cannot return them), while searches go on
 * against the pinned version. Then, in one synchronous step, the removed labels are deleted and
 * the two connections swap roles: searches see the new version whole, in both indexes. Labels
 * only grow, and each version lists the labels it removed. One reader per thread.
 */
export class SqlitePassageReader implements PassageSource {
  readonly #options: ReaderOptions;
  #serving: DatabaseSync;
  #spare: DatabaseSync;
  #index: HnswVectorIndex;
  #version = -1;
  #embedder = "";
  #savedVersion = -1;
  /** Index entries added or deleted since the saved file was written (or everything, when none was). */
  #changedSinceSave = Number.POSITIVE_INFINITY;
  /** Whether the index was loaded from its saved file at start (then only caught up), rather than built. */
  loadedSaved = false;
  #labelsByProduct = new Map<string, Set<number>>();
  #catchingUp: Promise<void> | null = null;
  #stopped = false;
  #saving: Promise<void> = Promise.resolve();
  /** Set while hnswlib writes the index to a file on a thread of its own: the index must not change under it. */
  #writing: Promise<void> | null = null;
  #onError: (error: unknown) => void;
  #pinnedAt = performance.now();
  readonly #renewMs: number;
  /** Follows versions and renews the snapshot (see SNAPSHOT_RENEW_MS) while no search comes. */
  #ticker: NodeJS.Timeout;

  private constructor(options: ReaderOptions, onError: (error: unknown) => void) {
    this.#options = options;
    this.#renewMs = options.renewSnapshotMs ?? SNAPSHOT_RENEW_MS;
    this.#serving = openReadOnly(options.dataDir);
    this.#spare = openReadOnly(options.dataDir);
    this.#index = HnswVectorIndex.create({ dimensions: options.dimensions, capacity: 16, ef: options.ef, ...options.shape });
    this.#onError = onError;
    this.#ticker = setInterval(() => {
      try {
        if (this.#version >= 0) this.#followPublished();
      } catch (error) {
        this.#onError(error);
      }
    }, this.#renewMs);
    this.#ticker.unref();
  }

  /** Open the published knowledge of a data folder (the writer must have created it), up to date. */
  static async open(options: ReaderOptions & { onError?: (error: unknown) => void }): Promise<SqlitePassageReader> {
    const reader = new SqlitePassageReader(options, options.onError ?? (() => undefined));
    await reader.#loadCheckpoint();
    reader.#serving.exec("BEGIN");
    readMeta(reader.#serving);
    reader.#pinnedAt = performance.now();
    await reader.upToDate();
    return reader;
  }

  get version(): number {
    return this.#version;
  }

  get indexStats(): { live: number; deleted: number } {
    return { live: this.#index.size, deleted: this.#index.deletedCount };
  }

  /** Read the pinned version; starts catching up in the background if a newer one was published. */
  withSnapshot<T>(read: () => T): T {
    this.#followPublished();
    return read();
  }

  /** Resolves once the reader serves the newest published version. */
  async upToDate(): Promise<number> {
    for (;;) {
      if (this.#writing) await this.#writing;
      this.#followPublished();
      if (!this.#catchingUp) return this.#version;
      await this.#catchingUp;
    }
  }

  searchLexical(query: string, limit: number, productId?: string | null): LexicalHit[] {
    return searchPassageTerms(this.#serving, query, { limit, productId: productId ?? null, passages: this.#index.size, version: this.#version });
  }

  searchDense(vector: Float32Array, limit: number, productId?: string | null): DenseHit[] {
    if (!productId) return this.#index.search(vector, limit);
    const labels = this.#labelsByProduct.get(productId);
    if (!labels || labels.size === 0) return [];
    return this.#index.scoreExactly(vector, labels, limit);
  }

  getPassages(labels: readonly number[]): Map<number, StoredPassage> {
    const rows = statement(this.#serving, "SELECT label, key, document_id, product_id, lang, kind, title, text, url FROM passages WHERE label IN (SELECT value FROM json_each(?))")
      .all(JSON.stringify(labels)) as PassageRow[];
    return new Map(rows.map((row) => [row.label, toPassage(row)]));
  }

  describePassages(labels: readonly number[]): Map<number, PassageFacts> {
    const rows = statement(this.#serving, "SELECT label, product_id, lang FROM passages WHERE label IN (SELECT value FROM json_each(?))")
      .all(JSON.stringify(labels)) as { label: number; product_id: string | null; lang: string }[];
    return new Map(rows.map((row) => [row.label, { productId: row.product_id, lang: row.lang as StoredPassage["lang"] }]));
  }

  hasProduct(productId: string): boolean {
    return this.#labelsByProduct.has(productId);
  }

  /**
   * Save the index for a fast start, unless it is saved at this version already, or (with
   * `minChangedShare`) fewer entries than that share of the index changed since the last save: a
   * start loads the saved file and catches up with the versions after it, and writing and flushing
   * hundreds of megabytes after every small update would hold up every other write to the disk.
   */
  checkpoint(options: { minChangedShare?: number } = {}): Promise<void> {
    const saved = this.#saving.then(() => this.#save(options.minChangedShare ?? 0));
    this.#saving = saved.catch(() => undefined);
    return saved;
  }

  async #save(minChangedShare: number): Promise<void> {
    await this.upToDate();
    if (this.#savedVersion === this.#version) return;
    if (this.#changedSinceSave < minChangedShare * this.#index.size) return;
    const { dataDir, shape } = this.#options;
    const version = this.#version;
    const checkpoint: Checkpoint = { version, embedder: this.#embedder, deleted: this.#index.deletedCount, m: shape.m, efConstruction: shape.efConstruction };
    let written = (): void => undefined;
    this.#writing = new Promise<void>((resolve) => (written = resolve));
    let pending = true;
    const done = () => {
      if (!pending) return;
      pending = false;
      this.#writing = null;
      written();
      // A version published while the index was being written is followed now.
      this.#followPublished();
    };
    try {
      await this.#index.save(join(dataDir, "vectors.hnsw"), { onWritten: done });
    } finally {
      done();
    }
    const temporary = join(dataDir, `vectors.json.tmp-${process.pid}-${threadId}`);
    await writeFile(temporary, JSON.stringify(checkpoint), { mode: 0o600 });
    await rename(temporary, join(dataDir, "vectors.json"));
    this.#savedVersion = version;
    this.#changedSinceSave = 0;
  }

  /**
   * Stop following versions and wait for work in progress to end: hnswlib must not be inside a call
   * when its thread is terminated (it then aborts the whole process).
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#ticker);
    await this.#catchingUp?.catch(() => undefined);
  }

  close(): void {
    clearInterval(this.#ticker);
    for (const db of [this.#serving, this.#spare]) {
      if (!db.isOpen) continue;
      if (db.isTransaction) db.exec("COMMIT");
      db.close();
    }
  }

  async #loadCheckpoint(): Promise<void> {
    const { dataDir, dimensions, ef, shape } = this.#options;
    const path = join(dataDir, "vectors.hnsw");
    if (!existsSync(path) || !existsSync(join(dataDir, "vectors.json"))) return;
    try {
      const saved = JSON.parse(await readFile(join(dataDir, "vectors.json"), "utf8")) as Checkpoint;
      const published = readMeta(this.#spare);
      if (saved.embedder !== published.embedder || saved.version > published.version || saved.m !== shape.m || saved.efConstruction !== shape.efConstruction) return;
      this.#index = await HnswVectorIndex.load(path, { dimensions, ef, deleted: saved.deleted });
      this.#version = saved.version;
      this.#savedVersion = saved.version;
      this.#embedder = saved.embedder;
      this.#labelsByProduct = productLabels(this.#spare, 0);
      this.#changedSinceSave = 0;
      this.loadedSaved = true;
    } catch {
      // Unreadable or torn: the index is rebuilt from the stored embeddings.
    }
  }

  /** Start catching up with a newer published version, unless already doing so or hnswlib is writing the index to a file (searches go on at the pinned version). */
  #followPublished(): void {
    if (this.#catchingUp || this.#stopped || this.#writing) return;
    const published = readMeta(this.#spare);
    if (published.version === this.#version && published.embedder === this.#embedder) {
      if (performance.now() - this.#pinnedAt >= this.#renewMs) this.#repin();
      return;
    }
    this.#catchingUp = this.#catchUp()
      // A catch-up cut short by stop() is not a failure.
      .catch((error: unknown) => (this.#stopped ? undefined : this.#onError(error)))
      .finally(() => (this.#catchingUp = null));
  }

  async #catchUp(): Promise<void> {
    const next = this.#spare;
    next.exec("BEGIN");
    try {
      const target = readMeta(next);
      const tombstones = this.#index.deletedCount > Math.max(100, this.#index.size * TOMBSTONE_SHARE);
      if (target.embedder !== this.#embedder || this.#version < 0 || tombstones) {
        const { dimensions, ef, shape } = this.#options;
        const count = (next.prepare("SELECT count(*) AS n FROM passages").get() as { n: number }).n;
        const index = HnswVectorIndex.create({ dimensions, capacity: Math.ceil(count * (1.1 + TOMBSTONE_SHARE)) + 16, ef, ...shape });
        await addInSlices(index, next, 0, () => this.#stopped);
        this.#index = index;
        this.#changedSinceSave = Number.POSITIVE_INFINITY;
        this.#labelsByProduct = productLabels(next, 0);
      } else {
        const after = this.#index.maxLabel;
        const added = await addInSlices(this.#index, next, after, () => this.#stopped);
        const removed = next.prepare("SELECT label, product_id FROM removed_labels WHERE version > ?").all(this.#version) as { label: number; product_id: string | null }[];
        // The switch: one synchronous step.
        this.#changedSinceSave += added + removed.length;
        for (const row of removed) {
          this.#index.remove(row.label);
          if (row.product_id) this.#labelsByProduct.get(row.product_id)?.delete(row.label);
        }
        for (const [product, labels] of productLabels(next, after)) for (const label of labels) addTo(this.#labelsByProduct, product, label);
        for (const [product, labels] of this.#labelsByProduct) if (labels.size === 0) this.#labelsByProduct.delete(product);
      }
      this.#version = target.version;
      this.#embedder = target.embedder;
    } catch (error) {
      next.exec("COMMIT");
      throw error;
    }
    // Searches now read the snapshot the index was brought up to; the old one is released.
    this.#swap(next);
  }

  /** A fresh snapshot of the version served, on the spare connection; none when a newer version came meanwhile (catching up takes it). */
  #repin(): void {
    const next = this.#spare;
    next.exec("BEGIN");
    let meta: { version: number; embedder: string };
    try {
      meta = readMeta(next);
    } catch (error) {
      // The spare connection is left as it was, with no transaction open.
      next.exec("COMMIT");
      throw error;
    }
    if (meta.version !== this.#version || meta.embedder !== this.#embedder) {
      next.exec("COMMIT");
      return;
    }
    this.#swap(next);
  }

  #swap(next: DatabaseSync): void {
    this.#spare = this.#serving;
    this.#serving = next;
    this.#spare.exec("COMMIT");
    this.#pinnedAt = performance.now();
  }
}

function openReadOnly(dataDir: string): DatabaseSync {
  const db = new DatabaseSync(join(dataDir, "knowledge.db"), { readOnly: true });
  db.exec("PRAGMA busy_timeout = 5000");
  return db;
}

/** Statements prepared once per connection (a search runs several; preparing costs about as much as running them). */
const statements = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

function statement(db: DatabaseSync, sql: string): StatementSync {
  let prepared = statements.get(db);
  if (!prepared) statements.set(db, (prepared = new Map()));
  let found = prepared.get(sql);
  if (!found) prepared.set(sql, (found = db.prepare(sql)));
  return found;
}

function readMeta(db: DatabaseSync): { version: number; embedder: string } {
  const rows = statement(db, "SELECT key, value FROM meta WHERE key IN ('version', 'embedder')").all() as { key: string; value: string }[];
  const values = new Map(rows.map((row) => [row.key, row.value]));
  return { version: Number(values.get("version") ?? 0), embedder: values.get("embedder") ?? "" };
}

/** Add the stored vectors with labels above `after`, yielding to the thread's event loop every SLICE_MS. */
async function addInSlices(index: HnswVectorIndex, db: DatabaseSync, after: number, stopped: () => boolean): Promise<number> {
  const rows = db.prepare("SELECT label, embedding FROM passages WHERE label > ? ORDER BY label").iterate(after) as Iterable<{ label: number; embedding: Uint8Array }>;
  let sliceStart = performance.now();
  let added = 0;
  for (const row of rows) {
    index.add(row.label, toVector(row.embedding));
    added += 1;
    if (performance.now() - sliceStart > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      if (stopped()) throw new Error("stopped");
      sliceStart = performance.now();
    }
  }
  return added;
}

function productLabels(db: DatabaseSync, after: number): Map<string, Set<number>> {
  const map = new Map<string, Set<number>>();
  for (const row of db.prepare("SELECT label, product_id FROM passages WHERE product_id IS NOT NULL AND label > ?").iterate(after) as Iterable<{ label: number; product_id: string }>) {
    addTo(map, row.product_id, row.label);
  }
  return map;
}

function addTo(map: Map<string, Set<number>>, key: string, label: number): void {
  let labels = map.get(key);
  if (!labels) map.set(key, (labels = new Set()));
  labels.add(label);
}

/** Copy a data folder's saved index to another, so that a reader there starts from it and only catches up. */
export async function copyIndexCheckpoint(fromDir: string, toDir: string): Promise<void> {
  if (!existsSync(join(fromDir, "vectors.json")) || !existsSync(join(fromDir, "vectors.hnsw"))) return;
  await copyFile(join(fromDir, "vectors.json"), join(toDir, "vectors.json"));
  await copyFile(join(fromDir, "vectors.hnsw"), join(toDir, "vectors.hnsw"));
}

function toVector(bytes: Uint8Array): Float32Array {
  return new Float32Array(bytes.byteOffset % 4 === 0 ? bytes.buffer : bytes.slice().buffer, bytes.byteOffset % 4 === 0 ? bytes.byteOffset : 0, bytes.byteLength / 4);
}

function toPassage(row: PassageRow): StoredPassage {
  return { label: row.label, key: row.key, documentId: row.document_id, productId: row.product_id, lang: row.lang as StoredPassage["lang"], kind: row.kind, title: row.title, text: row.text, url: row.url };
}
