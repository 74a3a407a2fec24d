import type { Logger } from "../logger.ts";
import type { Embedder } from "../retrieval/embedder.ts";
import { Retriever, type RetrieverOptions } from "../retrieval/retriever.ts";
import { SqlitePassageReader } from "../retrieval/sqlite-passage-reader.ts";
import { DEFAULT_HNSW_SHAPE, type HnswShape } from "../retrieval/vector-index.ts";
import { SqliteKnowledgeStore } from "./sqlite-knowledge-store.ts";

export type LocalKnowledge = {
  knowledge: SqliteKnowledgeStore;
  /** The read side in this thread, opened on first use (after the writes that come first). */
  reader(): Promise<SqlitePassageReader>;
  retriever(options?: Partial<RetrieverOptions>): Promise<Retriever>;
  close(): Promise<void>;
};

/**
 * Knowledge store and search in the caller's own thread, for command-line tools, the evaluation
 * and benchmarks, which have no event loop to keep free. The server uses the worker-thread ones.
 */
export async function openLocalKnowledge(options: { dataDir: string; embedder: Embedder; ef: number; shape?: HnswShape; synchronous: "full" | "normal"; logger: Logger }): Promise<LocalKnowledge> {
  const knowledge = await SqliteKnowledgeStore.open(options);
  let opened: Promise<SqlitePassageReader> | undefined;
  const reader = () => (opened ??= SqlitePassageReader.open({ dataDir: options.dataDir, dimensions: options.embedder.dimensions, ef: options.ef, shape: options.shape ?? DEFAULT_HNSW_SHAPE }));
  return {
    knowledge,
    reader,
    retriever: async (retrieverOptions) => new Retriever(await reader(), options.embedder, retrieverOptions),
    close: async () => {
      if (opened) (await opened).close();
      await knowledge.close();
    },
  };
}
