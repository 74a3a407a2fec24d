import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { AppError } from "../errors.ts";
import { BACKGROUND_NICE } from "../storage/sqlite-write-thread.ts";
import type { Logger } from "../logger.ts";
import type { KnowledgeCall, KnowledgeMethod, KnowledgeResult, KnowledgeWorkerData } from "./knowledge-worker.ts";
import type { DocumentChanges, DocumentInfo, IngestReport, KnowledgeChanges, KnowledgeStore, KnowledgeVersion, ProductHashes } from "./knowledge-store.ts";
import type { LoadedKnowledge } from "./load-knowledge.ts";
import type { SourceDocument } from "./source-document.ts";
import { SqliteKnowledgeReader } from "./sqlite-knowledge-reads.ts";

/**
 * A change is sent to the writer thread in parts of about this many characters of text: posting a
 * message clones it on the sender's thread in one go (100k passages of documents are ~90 MB, seconds
 * of cloning), a part this size in about a millisecond or two.
 */
const STAGE_CHARS = 100_000;

/**
 * The SQLite knowledge store run in a worker thread of its own (knowledge-worker.ts): each method
 * is a message to it. Publishing a version may take minutes of CPU at 100k passages; here it costs
 * the event loop only the messages. `onPublished` hears of every new version (to refresh search).
 */
export class WorkerKnowledgeStore implements KnowledgeStore {
  readonly #pool: Piscina<KnowledgeCall, KnowledgeResult>;
  readonly #onPublished: (report: IngestReport) => void;
  /** SQLite only: the version and single documents are read here, never queued behind a publish. */
  #reader: SqliteKnowledgeReader | null = null;

  private constructor(pool: Piscina<KnowledgeCall, KnowledgeResult>, onPublished: (report: IngestReport) => void) {
    this.#pool = pool;
    this.#onPublished = onPublished;
  }

  /** Start the writer thread; resolves once the store is open (schema migrated, embeddings current). */
  static async open(options: { workerData: KnowledgeWorkerData; logger: Logger; onPublished?: (report: IngestReport) => void }): Promise<WorkerKnowledgeStore> {
    const pool = new Piscina<KnowledgeCall, KnowledgeResult>({
      filename: fileURLToPath(new URL("./knowledge-worker.ts", import.meta.url)),
      minThreads: 1,
      maxThreads: 1,
      // Reads (listing, one document) interleave with a publish that is waiting on its embedder.
      concurrentTasksPerWorker: 8,
      idleTimeout: Number.POSITIVE_INFINITY,
      // Publishing is background work: at a lower priority, the thread leaves the CPU to the event
      // loop (acks) and to search whenever they want it (Linux sets nice per thread).
      niceIncrement: BACKGROUND_NICE,
      atomics: "disabled",
      workerData: options.workerData,
    });
    // A writer thread that dies between calls is replaced by the pool; the error is only logged.
    pool.on("error", (error: unknown) => options.logger.error({ err: error }, "knowledge writer thread died; the pool starts another"));
    const store = new WorkerKnowledgeStore(pool, options.onPublished ?? (() => undefined));
    await store.version();
    // In Postgres the published knowledge is the database's, which this server's copy may trail.
    if (!options.workerData.databaseUrl) store.#reader = SqliteKnowledgeReader.open(options.workerData.dataDir);
    return store;
  }

  async version(): Promise<number> {
    return this.#reader ? this.#reader.version() : ((await this.#call("version", [])) as number);
  }

  passageCount(): Promise<number> {
    return this.#call("passageCount", []) as Promise<number>;
  }

  syncFolder(directory: string): Promise<IngestReport> {
    return this.#publish("syncFolder", [directory]);
  }

  sync(loaded: LoadedKnowledge): Promise<IngestReport> {
    return this.#publish("sync", [loaded]);
  }

  /**
   * Large changes travel in parts (see STAGE_CHARS), so that cloning them never holds the event loop
   * long; each part is measured off just before it is sent (measuring 28k documents at once is itself
   * a block of about 100 ms).
   */
  async applyChanges(changes: KnowledgeChanges): Promise<IngestReport> {
    const parts = partsBySize(changes.upserts);
    let part = parts.next();
    let next = parts.next();
    if (part.done || next.done) return this.#publish("applyChanges", [changes]);
    const staged = { id: randomUUID(), documents: 0 };
    try {
      for (; !next.done; part = next, next = parts.next()) {
        await this.#send({ stage: staged.id, documents: part.value });
        staged.documents += part.value.length;
      }
      return await this.#publish("applyChanges", [{ ...changes, upserts: part.value }], staged);
    } finally {
      // Dropped by the applyChanges that used them; this only clears parts a failure left behind.
      await this.#send({ discard: staged.id }).catch(() => undefined);
    }
  }

  rollback(target: number): Promise<IngestReport> {
    return this.#publish("rollback", [target]);
  }

  listVersions(limit?: number): Promise<KnowledgeVersion[]> {
    return this.#call("listVersions", limit === undefined ? [] : [limit]) as Promise<KnowledgeVersion[]>;
  }

  listDocuments(options: { search?: string; limit: number }): Promise<DocumentInfo[]> {
    return this.#call("listDocuments", [options]) as Promise<DocumentInfo[]>;
  }

  productHashes(): Promise<ProductHashes> {
    return this.#call("productHashes", []) as Promise<ProductHashes>;
  }

  documentChangesSince(version: number): Promise<DocumentChanges | null> {
    return this.#call("documentChangesSince", [version]) as Promise<DocumentChanges | null>;
  }

  async getDocument(id: string): Promise<SourceDocument | null> {
    return this.#reader ? this.#reader.getDocument(id) : ((await this.#call("getDocument", [id])) as SourceDocument | null);
  }

  listDocumentIds(source: string): Promise<string[]> {
    return this.#call("listDocumentIds", [source]) as Promise<string[]>;
  }

  async hasDocument(id: string): Promise<boolean> {
    return this.#reader ? this.#reader.hasDocument(id) : ((await this.#call("hasDocument", [id])) as boolean);
  }

  /** Postgres only: bring this server's local copy to the published version; `changed` when it moved. */
  follow(): Promise<{ version: number; changed: boolean }> {
    return this.#call("follow", []) as Promise<{ version: number; changed: boolean }>;
  }

  snapshotTo(directory: string): Promise<void> {
    return this.#call("snapshotTo", [directory]) as Promise<void>;
  }

  async close(): Promise<void> {
    await this.#pool.close();
    this.#reader?.close();
    this.#reader = null;
  }

  async #publish(method: KnowledgeMethod, args: unknown[], staged?: { id: string; documents: number }): Promise<IngestReport> {
    const report = (await this.#send(staged === undefined ? { method, args } : { method, args, staged })) as IngestReport;
    this.#onPublished(report);
    return report;
  }

  #call(method: KnowledgeMethod, args: unknown[]): Promise<unknown> {
    return this.#send({ method, args });
  }

  async #send(call: KnowledgeCall): Promise<unknown> {
    let result: KnowledgeResult;
    try {
      result = await this.#pool.run(call);
    } catch (error) {
      throw new AppError("INTERNAL", "The knowledge store failed.", { cause: error });
    }
    if (result.ok) return result.value;
    throw new AppError(result.error.code, result.error.message, result.error.details ? { details: result.error.details } : undefined);
  }
}

/** Consecutive runs of documents, each about STAGE_CHARS of text or one document, measured as they are taken. */
function* partsBySize(documents: readonly SourceDocument[]): Generator<SourceDocument[], void> {
  let part: SourceDocument[] = [];
  let chars = 0;
  for (const document of documents) {
    const size = document.title.length + document.sections.reduce((sum, section) => sum + section.title.length + section.text.length, 0) + productSize(document);
    if (chars > 0 && chars + size > STAGE_CHARS) {
      yield part;
      part = [];
      chars = 0;
    }
    part.push(document);
    chars += size;
  }
  yield part;
}

/** A catalog product's own fields repeat its text (description, attributes). */
function productSize(document: SourceDocument): number {
  if (!document.product) return 0;
  let size = 200 + document.product.description.length;
  for (const [key, value] of Object.entries(document.product.attributes)) size += key.length + value.length;
  return size;
}
