import { workerData } from "node:worker_threads";
import type { Config } from "../config.ts";
import { AppError } from "../errors.ts";
import { createLogger } from "../logger.ts";
import { createEmbedder } from "../retrieval/create-embedder.ts";
import type { KnowledgeStore } from "./knowledge-store.ts";
import { SqliteKnowledgeStore } from "./sqlite-knowledge-store.ts";

export type KnowledgeWorkerData = { dataDir: string; embedding: Config["embedding"]; synchronous: "full" | "normal"; logLevel: string };

/** One call of a KnowledgeStore method, as it crosses the thread boundary. */
export type KnowledgeCall = { method: KnowledgeMethod; args: unknown[] };
export type KnowledgeMethod = Exclude<keyof KnowledgeStore, "close">;

/** An AppError cannot cross the thread boundary whole (its code would be lost): it travels as plain data. */
export type KnowledgeResult = { ok: true; value: unknown } | { ok: false; error: { code: AppError["code"]; message: string; details?: Record<string, unknown> } };

/**
 * The knowledge writer thread (run by piscina, one thread): the SQLite knowledge store with its
 * own embedder, so splitting, embedding, segmenting and the publishing transaction never run on
 * the server's event loop.
 */
const data = workerData as KnowledgeWorkerData;
const opened = (async () => {
  const embedder = await createEmbedder(data.embedding);
  return SqliteKnowledgeStore.open({ dataDir: data.dataDir, embedder, synchronous: data.synchronous, logger: createLogger({ level: data.logLevel }).child({ module: "knowledge" }) });
})();
opened.catch(() => undefined);

export default async function callKnowledgeStore(call: KnowledgeCall): Promise<KnowledgeResult> {
  const store = await opened;
  try {
    const method = store[call.method] as (...args: unknown[]) => Promise<unknown>;
    return { ok: true, value: await method.apply(store, call.args) };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { ok: false, error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
  }
}
