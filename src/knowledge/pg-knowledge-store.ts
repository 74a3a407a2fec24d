import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { embedInBatches, type Embedder } from "../retrieval/embedder.ts";
import type { Passage, StoredPassage } from "../retrieval/passage.ts";
import type { Postgres, Queryable } from "../storage/postgres.ts";
import { KnowledgeMirror, type MirrorProgress } from "./knowledge-mirror.ts";
import type { DocumentChanges, DocumentInfo, IngestReport, KnowledgeChanges, KnowledgeStore, KnowledgeVersion, ProductHashes } from "./knowledge-store.ts";
import { loadKnowledge, type LoadedKnowledge } from "./load-knowledge.ts";
import { diffPassages, type PassageChanges } from "./passage-changes.ts";
import type { KnowledgeProblem, SourceDocument } from "./source-document.ts";
import { hashDocument, indexedText, splitDocument } from "./split-passages.ts";
import { lexicalTerms, segmentWords } from "../text/segment.ts";

/** The channel on which a new knowledge version is announced (its number as payload). */
export const KNOWLEDGE_CHANNEL = "kefu_knowledge";
/** Session advisory lock held while a version is computed, embedded and written: one writer at a time across servers. */
const WRITE_LOCK = 0x6b666b77;
const INSERT_BATCH = 1_000;

type Published = { storeId: string; version: number; embedder: string };

/**
 * The knowledge store in Postgres, shared by every server: documents, passages with their
 * embeddings, versions and history. A change is split and embedded once, by the server that makes
 * it, then written as one new version in one transaction that announces it (NOTIFY). Writers
 * queue on an advisory lock, so versions are numbered without gaps whichever server publishes.
 *
 * Search reads a local copy (KnowledgeMirror in DATA_DIR) that `follow()` brings to the published
 * version; a publish brings this server's copy up to date before it returns.
 */
export class PgKnowledgeStore implements KnowledgeStore {
  readonly #pg: Postgres;
  readonly #embedder: Embedder;
  readonly #logger: Logger;
  readonly #mirror: KnowledgeMirror;
  #following: Promise<{ version: number; changed: boolean }> | null = null;
  #followAgain = false;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(pg: Postgres, embedder: Embedder, logger: Logger, mirror: KnowledgeMirror) {
    this.#pg = pg;
    this.#embedder = embedder;
    this.#logger = logger;
    this.#mirror = mirror;
  }

  static async open(options: { postgres: Postgres; dataDir: string; embedder: Embedder; synchronous: "full" | "normal"; logger: Logger; onProgress?: (progress: MirrorProgress) => void; checkpointEveryMs?: number }): Promise<PgKnowledgeStore> {
    const published = await readPublished(options.postgres);
    await KnowledgeMirror.prepare({ dataDir: options.dataDir, synchronous: options.synchronous, published, logger: options.logger });
    const mirror = KnowledgeMirror.open({
      dataDir: options.dataDir, synchronous: options.synchronous, logger: options.logger,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}), ...(options.checkpointEveryMs ? { checkpointEveryMs: options.checkpointEveryMs } : {}),
    });
    const store = new PgKnowledgeStore(options.postgres, options.embedder, options.logger, mirror);
    if (published.embedder !== options.embedder.id) await store.#locked((client) => store.#adoptEmbedder(client));
    return store;
  }

  /**
   * The version this server serves (its local copy): the published one once followed, and right
   * after this server publishes. Read locally, so readiness does not depend on reaching Postgres.
   */
  async version(): Promise<number> {
    return this.#mirror.state.version;
  }

  async passageCount(): Promise<number> {
    return this.#mirror.passageCount();
  }

  /** Bring the local copy to the published version (calls arriving meanwhile are folded into one more round). */
  follow(): Promise<{ version: number; changed: boolean }> {
    if (this.#following) {
      this.#followAgain = true;
      return this.#following;
    }
    const run = async (): Promise<{ version: number; changed: boolean }> => {
      let changed = false;
      do {
        this.#followAgain = false;
        changed = (await this.#catchUp()) || changed;
      } while (this.#followAgain);
      return { version: this.#mirror.state.version, changed };
    };
    this.#following = run().finally(() => (this.#following = null));
    return this.#following;
  }

  async syncFolder(directory: string): Promise<IngestReport> {
    const loaded = await loadKnowledge(directory);
    for (const problem of loaded.problems) this.#logger.error({ file: problem.file, line: problem.line }, `knowledge file rejected: ${problem.message}`);
    return this.sync(loaded);
  }

  /** As SqliteKnowledgeStore.sync: the stored file documents made to match a folder read; files unchanged since last time skipped. */
  async sync(loaded: LoadedKnowledge): Promise<IngestReport> {
    const report = await this.#locked(async (client) => {
      const recorded = new Map((await client.query<{ source: string; hash: string }>("SELECT source, hash FROM knowledge_source_files")).map((row) => [row.source, row.hash]));
      const rejected = new Set(loaded.rejectedSources);
      const changedSources = new Set(loaded.sources.filter((source) => !rejected.has(source) && (!loaded.fileHashes || recorded.get(source) !== loaded.fileHashes.get(source))));
      const seen = new Set(loaded.sources);
      const documents = loaded.documents.filter((document) => changedSources.has(document.source));
      const incoming = new Set(documents.map((document) => document.id));
      const deletes = (await client.query<{ id: string; source: string }>("SELECT id, source FROM knowledge_documents WHERE source LIKE 'file:%'"))
        .filter((row) => !rejected.has(row.source) && (!seen.has(row.source) || (changedSources.has(row.source) && !incoming.has(row.id))))
        .map((row) => row.id);
      const result = await this.#apply(client, { upserts: documents, deletes, origin: "files", problems: loaded.problems });
      const gone = [...recorded.keys()].filter((source) => !seen.has(source));
      const hashes = [...changedSources].flatMap((source) => (loaded.fileHashes?.get(source) ? [[source, loaded.fileHashes.get(source)!]] : []));
      await client.query("DELETE FROM knowledge_source_files WHERE source = ANY($1::text[])", [gone]);
      await client.query(
        "INSERT INTO knowledge_source_files (source, hash) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (source) DO UPDATE SET hash = excluded.hash",
        [hashes.map((entry) => entry[0]), hashes.map((entry) => entry[1])],
      );
      await client.query("UPDATE knowledge_state SET folder_synced_at = now()");
      return { ...result, unchanged: loaded.documents.length - result.added - result.updated };
    });
    await this.follow();
    return report;
  }

  async applyChanges(changes: KnowledgeChanges): Promise<IngestReport> {
    const report = await this.#locked(async (client) => {
      const known = new Set((await client.query<{ id: string }>("SELECT id FROM knowledge_documents WHERE id = ANY($1::text[])", [changes.deletes])).map((row) => row.id));
      const missing = changes.deletes.filter((id) => !known.has(id));
      if (missing.length > 0) throw new AppError("NOT_FOUND", `No such document: ${missing.join(", ")}.`);
      return this.#apply(client, { upserts: changes.upserts, deletes: changes.deletes, origin: changes.origin, problems: [] });
    });
    await this.follow();
    return report;
  }

  async rollback(target: number): Promise<IngestReport> {
    const report = await this.#locked(async (client) => {
      if ((await client.query("SELECT 1 FROM knowledge_versions WHERE version = $1", [target])).length === 0) throw new AppError("NOT_FOUND", `There is no version ${target}.`);
      const rows = await client.query<{ document_id: string; op: string; content: SourceDocument | null }>(
        "SELECT DISTINCT ON (document_id) document_id, op, content FROM knowledge_history WHERE version <= $1 ORDER BY document_id, version DESC",
        [target],
      );
      const wanted = rows.filter((row) => row.op === "upsert" && row.content).map((row) => row.content!);
      const wantedIds = new Set(wanted.map((document) => document.id));
      const deletes = (await client.query<{ id: string }>("SELECT id FROM knowledge_documents")).map((row) => row.id).filter((id) => !wantedIds.has(id));
      return this.#apply(client, { upserts: wanted, deletes, origin: `rollback:${target}`, problems: [] });
    });
    await this.follow();
    return report;
  }

  async listVersions(limit = 100): Promise<KnowledgeVersion[]> {
    return (await this.#pg.query<{ version: number; created_at: string; origin: string; added: number; updated: number; removed: number }>(
      "SELECT version, created_at, origin, added, updated, removed FROM knowledge_versions ORDER BY version DESC LIMIT $1",
      [limit],
    )).map((row) => ({ version: row.version, createdAt: row.created_at, origin: row.origin, added: row.added, updated: row.updated, removed: row.removed }));
  }

  async listDocuments(options: { search?: string; limit: number }): Promise<DocumentInfo[]> {
    const search = options.search ? `%${options.search.replace(/[\\%_]/g, (character) => `\\${character}`)}%` : null;
    return (await this.#pg.query<{ id: string; source: string; hash: string; product_id: string | null; lang: string; kind: string; title: string; url: string | null; updated_at: string; passages: number }>(
      `SELECT d.id, d.source, d.hash, d.product_id, d.lang, d.kind, d.title, d.url, d.updated_at,
         (SELECT count(*)::int FROM knowledge_passages p WHERE p.document_id = d.id) AS passages
       FROM knowledge_documents d
       WHERE $1::text IS NULL OR d.id ILIKE $1 OR d.title ILIKE $1 OR EXISTS (SELECT 1 FROM knowledge_passages p WHERE p.document_id = d.id AND p.text ILIKE $1)
       ORDER BY d.updated_at DESC, d.id LIMIT $2`,
      [search, options.limit],
    )).map((row) => ({ id: row.id, source: row.source, hash: row.hash, productId: row.product_id, lang: row.lang, kind: row.kind, title: row.title, url: row.url, updatedAt: row.updated_at, passages: row.passages }));
  }

  async productHashes(): Promise<ProductHashes> {
    const rows = await this.#pg.query<{ id: string; hash: string }>("SELECT id, hash FROM knowledge_documents WHERE kind = 'product' ORDER BY id COLLATE \"C\"");
    return { ids: rows.map((row) => row.id), hashes: rows.map((row) => row.hash) };
  }

  /** Up to the published version (the documents table's; this server's copy may not have followed it yet). */
  async documentChangesSince(version: number): Promise<DocumentChanges | null> {
    const current = (await readPublished(this.#pg)).version;
    if (!Number.isInteger(version) || version < 0 || version > current) return null;
    const rows = await this.#pg.query<{ id: string; hash: string | null }>(
      `SELECT h.id, CASE WHEN d.kind = 'product' THEN d.hash END AS hash
       FROM (SELECT DISTINCT document_id AS id FROM knowledge_history WHERE version > $1 AND version <= $2) h LEFT JOIN knowledge_documents d ON d.id = h.id
       ORDER BY h.id COLLATE "C"`,
      [version, current],
    );
    return { version: current, ids: rows.map((row) => row.id), hashes: rows.map((row) => row.hash) };
  }

  async getDocument(id: string): Promise<SourceDocument | null> {
    const rows = await this.#pg.query<{ content: SourceDocument }>(
      `SELECT h.content FROM knowledge_documents d JOIN knowledge_history h ON h.document_id = d.id AND h.op = 'upsert'
       WHERE d.id = $1 ORDER BY h.version DESC LIMIT 1`,
      [id],
    );
    return rows[0]?.content ?? null;
  }

  async listDocumentIds(source: string): Promise<string[]> {
    return (await this.#pg.query<{ id: string }>("SELECT id FROM knowledge_documents WHERE source = $1 ORDER BY id", [source])).map((row) => row.id);
  }

  async hasDocument(id: string): Promise<boolean> {
    return (await this.#pg.query("SELECT 1 FROM knowledge_documents WHERE id = $1", [id])).length > 0;
  }

  /** The local copy at the published version, as a SQLite knowledge folder (a candidate is built there). */
  async snapshotTo(directory: string): Promise<void> {
    await this.follow();
    await mkdir(directory, { recursive: true });
    this.#mirror.snapshotTo(join(directory, "knowledge.db"));
  }

  async close(): Promise<void> {
    await this.#following?.catch(() => undefined);
    this.#mirror.close();
  }

  async #catchUp(): Promise<boolean> {
    return this.#pg.session(async (client) => {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const published = await readPublished(client);
      const changed = await this.#mirror.catchUp(client, published);
      await client.query("COMMIT");
      return changed;
    });
  }

  /**
   * Run fn on one connection holding the write lock (released with the connection if it breaks).
   * Queued here first, so that a server waits for the lock on one connection, not one per request.
   */
  #locked<T>(fn: (client: Queryable) => Promise<T>): Promise<T> {
    const work = () => this.#pg.session(async (client) => {
      await client.query("SELECT pg_advisory_lock($1)", [WRITE_LOCK]);
      try {
        return await fn(client);
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [WRITE_LOCK]).catch(() => undefined);
      }
    });
    const result = this.#queue.then(work, work);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #apply(client: Queryable, input: { upserts: SourceDocument[]; deletes: string[]; origin: string; problems: KnowledgeProblem[] }): Promise<IngestReport> {
    const existing = new Map((await client.query<{ id: string; hash: string; source: string }>("SELECT id, hash, source FROM knowledge_documents")).map((row) => [row.id, row]));
    const changed = input.upserts.map((document) => ({ document, hash: hashDocument(document) })).filter(({ document, hash }) => existing.get(document.id)?.hash !== hash);
    const changedIds = new Set(changed.map(({ document }) => document.id));
    const moved = input.upserts.filter((document) => existing.has(document.id) && existing.get(document.id)!.source !== document.source && !changedIds.has(document.id));
    const removed = input.deletes.filter((id) => existing.has(id) && !changedIds.has(id));
    const updated = changed.filter(({ document }) => existing.has(document.id)).length;
    const report = async (version: number): Promise<IngestReport> => ({
      version, added: changed.length - updated, updated, removed: removed.length, unchanged: input.upserts.length - changed.length,
      passages: (await client.query<{ n: number }>("SELECT count(*)::int AS n FROM knowledge_passages"))[0]!.n, problems: input.problems,
    });
    for (const document of moved) await client.query("UPDATE knowledge_documents SET source = $1 WHERE id = $2", [document.source, document.id]);
    if (changed.length === 0 && removed.length === 0) return report((await readPublished(client)).version);

    // 1. Split (passages that did not change keep their rows) and embed the rest (once, here), before the transaction.
    const stored = await client.query<StoredPassage>(
      `SELECT label, key, document_id AS "documentId", product_id AS "productId", lang, kind, title, text, url FROM knowledge_passages WHERE document_id = ANY($1::text[])`,
      [[...changedIds].filter((id) => existing.has(id))],
    );
    const storedByDocument = Map.groupBy(stored, (passage) => passage.documentId);
    const passages: Passage[] = [];
    const gone: PassageChanges["removed"] = [];
    for (const { document } of changed) {
      const diff = diffPassages(storedByDocument.get(document.id) ?? [], await splitDocument(document));
      passages.push(...diff.added);
      gone.push(...diff.removed);
    }
    const vectors = await embedInBatches(this.#embedder, passages.map(indexedText));
    // Segmented once here too: servers copying the version take the terms as they are.
    const terms = passages.map((passage) => lexicalTerms(segmentWords(indexedText(passage))).join(" "));

    // 2. One transaction writes and announces the version.
    await client.query("BEGIN");
    const next = (await client.query<{ version: number }>("UPDATE knowledge_state SET version = version + 1, embedder = $1 RETURNING version", [this.#embedder.id]))[0]!.version;
    const labels = (await client.query<{ label: number }>("SELECT nextval('knowledge_passage_label')::bigint AS label FROM generate_series(1, $1)", [passages.length])).map((row) => row.label);
    await client.query("DELETE FROM knowledge_passages WHERE label = ANY($1::bigint[])", [gone.map((passage) => passage.label)]);
    const dropped = await client.query<{ label: number; product_id: string | null }>("DELETE FROM knowledge_passages WHERE document_id = ANY($1::text[]) RETURNING label, product_id", [removed]);
    const removedLabels = [...gone, ...dropped.map((row) => ({ label: row.label, productId: row.product_id }))];
    await client.query("INSERT INTO knowledge_removed_labels (version, label, product_id) SELECT $1, * FROM unnest($2::bigint[], $3::text[])", [next, removedLabels.map((row) => row.label), removedLabels.map((row) => row.productId)]);
    await client.query("DELETE FROM knowledge_documents WHERE id = ANY($1::text[])", [removed]);
    const documents = changed.map(({ document }) => document);
    await client.query(
      `INSERT INTO knowledge_documents (id, source, hash, product_id, lang, kind, title, url, updated_at, version)
       SELECT i, s, h, p, l, k, t, u, now(), $9 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS x(i, s, h, p, l, k, t, u)
       ON CONFLICT (id) DO UPDATE SET source = excluded.source, hash = excluded.hash, product_id = excluded.product_id, lang = excluded.lang, kind = excluded.kind,
         title = excluded.title, url = excluded.url, updated_at = excluded.updated_at, version = excluded.version`,
      [documents.map((d) => d.id), documents.map((d) => d.source), changed.map(({ hash }) => hash), documents.map((d) => d.productId), documents.map((d) => d.lang), documents.map((d) => d.kind), documents.map((d) => d.title), documents.map((d) => d.url), next],
    );
    await client.query(
      "INSERT INTO knowledge_history (version, document_id, op, content) SELECT $1, i, o, c FROM unnest($2::text[], $3::text[], $4::jsonb[]) AS x(i, o, c)",
      [next, [...documents.map((d) => d.id), ...removed], [...documents.map(() => "upsert"), ...removed.map(() => "delete")], [...documents.map((d) => JSON.stringify(d)), ...removed.map(() => null)]],
    );
    for (let start = 0; start < passages.length; start += INSERT_BATCH) {
      const batch = passages.slice(start, start + INSERT_BATCH);
      const column = <K extends keyof Passage>(key: K) => batch.map((passage) => passage[key]);
      await client.query(
        `INSERT INTO knowledge_passages (label, key, document_id, product_id, lang, kind, title, text, url, embedding, terms, version)
         SELECT *, $12 FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bytea[], $11::text[])`,
        [labels.slice(start, start + INSERT_BATCH), column("key"), column("documentId"), column("productId"), column("lang"), column("kind"), column("title"), column("text"), column("url"),
          vectors.slice(start, start + INSERT_BATCH).map((vector) => Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength)), terms.slice(start, start + INSERT_BATCH), next],
      );
    }
    await client.query("INSERT INTO knowledge_versions (version, created_at, origin, added, updated, removed) VALUES ($1, now(), $2, $3, $4, $5)", [next, input.origin, changed.length - updated, updated, removed.length]);
    await client.query("SELECT pg_notify($1, $2)", [KNOWLEDGE_CHANNEL, String(next)]);
    await client.query("COMMIT");
    const result = await report(next);
    this.#logger.info({ ...result, problems: input.problems.length, origin: input.origin }, "knowledge version published");
    return result;
  }


  /** This server's embedder differs from the one the stored passages were embedded with: embed them all again (once, under the lock). */
  async #adoptEmbedder(client: Queryable): Promise<void> {
    const published = await readPublished(client);
    if (published.embedder === this.#embedder.id) return;
    const rows = await client.query<{ label: number; title: string; text: string }>("SELECT label, title, text FROM knowledge_passages ORDER BY label");
    if (rows.length > 0) this.#logger.info({ passages: rows.length, embedder: this.#embedder.id }, "embedder changed, embedding passages again");
    const vectors = await embedInBatches(this.#embedder, rows.map(indexedText));
    await client.query("BEGIN");
    for (let start = 0; start < rows.length; start += INSERT_BATCH) {
      await client.query(
        "UPDATE knowledge_passages p SET embedding = x.e FROM unnest($1::bigint[], $2::bytea[]) AS x(l, e) WHERE p.label = x.l",
        [rows.slice(start, start + INSERT_BATCH).map((row) => row.label), vectors.slice(start, start + INSERT_BATCH).map((vector) => Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength))],
      );
    }
    await client.query("UPDATE knowledge_state SET embedder = $1", [this.#embedder.id]);
    await client.query("SELECT pg_notify($1, $2)", [KNOWLEDGE_CHANNEL, String(published.version)]);
    await client.query("COMMIT");
  }
}

/** The published state: which store, its version and the embedder its passages were embedded with. */
export async function readPublished(pg: Queryable): Promise<Published> {
  const row = (await pg.query<{ store_id: string; version: number; embedder: string | null }>("SELECT store_id, version, embedder FROM knowledge_state"))[0]!;
  return { storeId: row.store_id, version: row.version, embedder: row.embedder ?? "" };
}

/** Whether the store's folder has been synced once by some server (a server that does not lead waits for it, or for a version). */
export async function knowledgeStarted(pg: Queryable): Promise<boolean> {
  const row = (await pg.query<{ version: number; synced: boolean }>("SELECT version, folder_synced_at IS NOT NULL AS synced FROM knowledge_state"))[0]!;
  return row.version > 0 || row.synced;
}
