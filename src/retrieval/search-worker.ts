import { BroadcastChannel, threadId, workerData } from "node:worker_threads";
import type { Config } from "../config.ts";
import { TurnRunner, type TurnTask, type TurnTaskResult } from "../conversations/turn-work.ts";
import { createLogger } from "../logger.ts";
import { createEmbedder } from "./create-embedder.ts";
import type { Retrieval, RetrievalRequest } from "./passage-index.ts";
import { Retriever, type RetrieverOptions } from "./retriever.ts";
import { SqlitePassageReader } from "./sqlite-passage-reader.ts";
import type { HnswShape } from "./vector-index.ts";

/** What every search worker is started with (plain data: it crosses the thread boundary). */
export type SearchWorkerData = {
  dataDir: string;
  embedding: Config["embedding"];
  ef: number;
  shape: HnswShape;
  retriever?: Partial<RetrieverOptions>;
  logLevel?: string;
  /** Name of the channel on which the pool asks its workers to stop before it terminates them. */
  stopChannel?: string;
};

export type SearchTask =
  | { kind: "retrieve"; request: RetrievalRequest }
  /** A bot turn's CPU work: the shopping check, else retrieval and the assessment of its evidence (answer plan, gate). */
  | { kind: "turn"; task: TurnTask }
  | { kind: "checkpoint"; minChangedShare?: number } | { kind: "warm" };

/**
 * A search worker thread (run by piscina): its own embedder, read-only SQLite connection and
 * hnswlib index, opened once when the thread starts, then one task at a time.
 */
const data = workerData as SearchWorkerData;
const logger = createLogger({ level: data.logLevel ?? "info" }).child({ module: "search" });
const opened = (async () => {
  const embedder = await createEmbedder(data.embedding);
  const reader = await SqlitePassageReader.open({
    dataDir: data.dataDir, dimensions: embedder.dimensions, ef: data.ef, shape: data.shape,
    // Retried with the next search: the version the reader follows is still ahead of it.
    onError: (error) => logger.error({ err: error }, "following the published version failed"),
  });
  logger.info({ version: reader.version, passages: reader.indexStats.live }, reader.loadedSaved ? "vector index loaded" : "vector index built");
  const retriever = new Retriever(reader, embedder, data.retriever);
  const turns = new TurnRunner((request) => retriever.retrieve(request));
  await turns.warmUp((error) => logger.warn({ err: error }, "warming up the search thread failed"));
  return { reader, retriever, turns };
})();
// Reported with the first task; without this an opening failure would be an unhandled rejection.
opened.catch(() => undefined);

if (data.stopChannel) {
  const channel = new BroadcastChannel(data.stopChannel);
  channel.unref();
  channel.onmessage = async (event) => {
    if ((event as { data: unknown }).data !== "stop") return;
    await (await opened.catch(() => null))?.reader.stop();
    channel.postMessage({ stopped: threadId });
  };
}

export type SearchResult = Retrieval | TurnTaskResult | number;

export default async function runSearchTask(task: SearchTask): Promise<SearchResult> {
  const { reader, retriever, turns } = await opened;
  switch (task.kind) {
    case "retrieve":
      return retriever.retrieve(task.request);
    case "turn":
      return turns.run(task.task);
    case "checkpoint":
      await reader.checkpoint({ minChangedShare: task.minChangedShare ?? 0 });
      return reader.version;
    case "warm":
      return reader.upToDate();
  }
}
