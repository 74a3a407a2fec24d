import { BroadcastChannel, workerData } from "node:worker_threads";
import type { Config } from "../config.ts";
import { AppError } from "../errors.ts";
import { createLogger } from "../logger.ts";
import { createEmbedder } from "../retrieval/create-embedder.ts";
import { Postgres } from "../storage/postgres.ts";
import type { KnowledgeChanges, KnowledgeStore } from "./knowledge-store.ts";
import { PgKnowledgeStore } from "./pg-knowledge-store.ts";
import type { SourceDocument } from "./source-document.ts";
import { SqliteKnowledgeStore } from "./sqlite-knowledge-store.ts";

export type KnowledgeWorkerData = {
  dataDir: string;
  embedding: Config["embedding"];
  synchronous: "full" | "normal";
  logLevel: string;
  /** Set: the knowledge lives in this Postgres database, and dataDir holds this server's copy for search. */
  databaseUrl?: string;
  /** BroadcastChannel on which copying progress is posted (Postgres only). */
  progressChannel?: string;
};

/**
 * One call of a KnowledgeStore method, as it crosses the thread boundary. A large change is sent
 * in parts (each cloned in a few milliseconds on the sender's event loop): `stage` keeps documents
 * under an id until applyChanges names it (and how many it sent) in `staged`; `discard` drops them.
 */
export type KnowledgeCall = { method: KnowledgeMethod; args: unknown[]; staged?: { id: string; documents: number } } | { stage: string; documents: SourceDocument[] } | { discard: string };
/** The store's methods, and `follow` (bring the local copy to the published version; Postgres only). */
export type KnowledgeMethod = Exclude<keyof KnowledgeStore, "close"> | "follow";

/** An AppError cannot cross the thread boundary whole (its code would be lost): it travels as plain data. */
export type KnowledgeResult = { ok: true; value: unknown } | { ok: false; error: { code: AppError["code"]; message: string; details?: Record<string, unknown> } };

/**
 * The knowledge writer thread (run by piscina, one thread): the SQLite knowledge store, or the
 * Postgres one with this server's local copy, with its own embedder, so splitting, embedding,
 * segmenting and the publishing transaction never run on the server's event loop.
 */
const data = workerData as KnowledgeWorkerData;
const opened = (async (): Promise<KnowledgeStore & { follow?: () => Promise<unknown> }> => {
  const embedder = await createEmbedder(data.embedding);
  const logger = createLogger({ level: data.logLevel }).child({ module: "knowledge" });
  if (!data.databaseUrl) return SqliteKnowledgeStore.open({ dataDir: data.dataDir, embedder, synchronous: data.synchronous, logger });
  const postgres = await Postgres.connect(data.databaseUrl, { max: 3, onError: (error) => logger.warn({ err: error }, "idle Postgres connection lost") });
  const progress = data.progressChannel ? new BroadcastChannel(data.progressChannel) : undefined;
  progress?.unref();
  const store = await PgKnowledgeStore.open({ postgres, dataDir: data.dataDir, embedder, synchronous: data.synchronous, logger, onProgress: (value) => progress?.postMessage(value) });
  const close = store.close.bind(store);
  return Object.assign(store, { close: async () => (await close(), progress?.close(), await postgres.close()) });
})();
opened.catch(() => undefined);

/** Documents sent ahead of the change that publishes them, by staging id. */
const staging = new Map<string, SourceDocument[]>();

export default async function callKnowledgeStore(call: KnowledgeCall): Promise<KnowledgeResult> {
  if ("stage" in call) {
    const documents = staging.get(call.stage) ?? [];
    for (const document of call.documents) documents.push(document);
    staging.set(call.stage, documents);
    return { ok: true, value: documents.length };
  }
  if ("discard" in call) return { ok: true, value: staging.delete(call.discard) };
  const store = await opened;
  try {
    const method = store[call.method] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (!method) throw new AppError("INTERNAL", `The knowledge store has no ${call.method}.`);
    return { ok: true, value: await method.apply(store, call.staged === undefined ? call.args : withStaged(call)) };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { ok: false, error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
  }
}

/** applyChanges' arguments with the documents staged for it put first (staged parts were sent in order, before the rest). */
function withStaged(call: { args: unknown[]; staged?: { id: string; documents: number } }): unknown[] {
  const { id, documents: expected } = call.staged!;
  const documents = staging.get(id);
  staging.delete(id);
  // A writer thread replaced while the parts were sent has lost some: refuse rather than publish part of the change.
  if (documents?.length !== expected) throw new AppError("INTERNAL", "Part of this change was lost on its way to the knowledge store; nothing was published. Send it again.");
  const [changes, ...rest] = call.args as [KnowledgeChanges, ...unknown[]];
  return [{ ...changes, upserts: [...documents, ...changes.upserts] }, ...rest];
}
