import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../../src/config.ts";
import { openLocalKnowledge } from "../../src/knowledge/open-local-knowledge.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { HashingEmbedder } from "../../src/retrieval/hashing-embedder.ts";
import { HnswVectorIndex } from "../../src/retrieval/vector-index.ts";
import { WorkerPassageIndex } from "../../src/retrieval/worker-passage-index.ts";
import { CHAT_QUESTIONS } from "./chat-questions.ts";
import { ExactIndex } from "./exact-search.ts";
import { seconds } from "./format.ts";
import type { IngestReport, Tally } from "./ingest-report.ts";
import { summarize } from "./percentiles.ts";
import type { BenchContext } from "./scenario.ts";
import { makeShopperQueries, type SyntheticCatalog } from "./synthetic-catalog.ts";

const RECALL_K = 10;
/** Candidates the Retriever takes from the dense index (DEFAULT_RETRIEVER_OPTIONS.candidates). */
const RETRIEVER_CANDIDATES = 50;

export type SearchInput = {
  dataDir: string;
  products: SyntheticCatalog["products"];
  config: Config;
  queryCount: number;
  efValues: number[];
  skipBuild: boolean;
};

export type SearchFigures = Pick<IngestReport, "storage" | "coldLoad"> & { passages: number; search: NonNullable<IngestReport["search"]> };

/**
 * Search on the data folder the server published into (it is stopped by then): cold load of the
 * saved index and of the passage reader, dense latency and recall@10 against brute force over the
 * same stored vectors, lexical and hybrid retrieval in this thread, and hybrid through a search
 * worker (the serving path).
 */
export async function measureSearch(input: SearchInput, context: BenchContext, fail: Tally): Promise<SearchFigures> {
  const { dataDir, config } = input;
  const { signal, progress } = context;
  const embedder = new HashingEmbedder();
  const { ef } = config.retrieval;
  const shape = { m: config.retrieval.m, efConstruction: config.retrieval.efConstruction };
  const logger = createSilentLogger();
  const indexPath = join(dataDir, "vectors.hnsw");
  const databasePath = join(dataDir, "knowledge.db");
  const indexFileBytes = (await stat(indexPath)).size;
  const databaseBytes = (await stat(databasePath)).size + ((await stat(`${databasePath}-wal`).catch(() => null))?.size ?? 0);
  // The saved index may be a version behind (a small update does not rewrite it): its checkpoint says how many of its entries are deleted.
  const checkpoint = JSON.parse(await readFile(join(dataDir, "vectors.json"), "utf8")) as { deleted: number };
  progress("loading the saved index cold…");
  signal.throwIfAborted();

  // Cold load: the index file alone (its memory is the RSS it adds), then the whole read side.
  let rssMark = process.memoryUsage().rss;
  let began = performance.now();
  let loadedAlone: HnswVectorIndex | null = await HnswVectorIndex.load(indexPath, { dimensions: embedder.dimensions, ef, deleted: checkpoint.deleted });
  const indexLoadMs = performance.now() - began;
  const indexRssBytes = process.memoryUsage().rss - rssMark;
  if (loadedAlone.size === 0) fail("index-empty");
  loadedAlone = null;
  began = performance.now();
  const local = await openLocalKnowledge({ dataDir, embedder, ef, shape, synchronous: config.database.synchronous, logger });
  const reader = await local.reader();
  const knowledgeOpenMs = performance.now() - began;
  context.defer(() => local.close());
  const passages = reader.indexStats.live;

  // Ground truth, and the hnswlib build timed on the same rows in the same order as a rebuild.
  progress(input.skipBuild ? "reading the stored vectors for exact search…" : "reading the stored vectors for exact search and timing a standalone index build on them…");
  let standalone: HnswVectorIndex | null = input.skipBuild ? null : HnswVectorIndex.create({ dimensions: embedder.dimensions, capacity: Math.ceil(passages * 1.2) + 16, ef, ...shape });
  let indexBuildMs = 0;
  let added = 0;
  rssMark = process.memoryUsage().rss;
  const exact = ExactIndex.fromDatabase(databasePath, embedder.dimensions, (label, vector) => {
    if (!standalone) return;
    const start = performance.now();
    standalone.add(label, vector);
    indexBuildMs += performance.now() - start;
    if (++added % 20_000 === 0) progress(`  standalone build: ${added}/${passages} vectors, ${seconds(indexBuildMs)}`);
  });
  if (exact.size !== passages) fail("reopened-index-size-mismatch");
  const standaloneBuildRssBytes = standalone ? process.memoryUsage().rss - rssMark - exact.size * exact.dimensions * 4 : null;
  standalone = null;
  signal.throwIfAborted();

  progress(`searching: ${input.queryCount} queries, dense k=${RECALL_K} and k=${RETRIEVER_CANDIDATES} (ef ${ef}), exact, lexical, hybrid…`);
  const queries = makeShopperQueries(input.products, CHAT_QUESTIONS, input.queryCount);
  const embedTimes: number[] = [];
  const dense10: number[] = [];
  const dense50: number[] = [];
  const exactTimes: number[] = [];
  const truths: { vector: Float32Array; labels: Set<number> }[] = [];
  let recallSum = 0;
  let tieAwareSum = 0;
  let belowFull = 0;
  for (const query of queries) {
    let start = performance.now();
    const [vector] = (await embedder.embed([query.text])) as [Float32Array];
    embedTimes.push(performance.now() - start);
    start = performance.now();
    const approximate = reader.searchDense(vector, RECALL_K);
    dense10.push(performance.now() - start);
    start = performance.now();
    reader.searchDense(vector, RETRIEVER_CANDIDATES);
    dense50.push(performance.now() - start);
    start = performance.now();
    const truth = exact.search(vector, RECALL_K, approximate.map((hit) => hit.label));
    exactTimes.push(performance.now() - start);
    const wanted = Math.min(RECALL_K, exact.size);
    const truthLabels = new Set(truth.top.map((hit) => hit.label));
    truths.push({ vector, labels: truthLabels });
    const hits = approximate.filter((hit) => truthLabels.has(hit.label)).length;
    const kth = truth.top.at(-1)?.similarity ?? -Infinity;
    const tieHits = Math.min(wanted, truth.candidateSimilarities.filter((similarity) => similarity >= kth - 1e-6).length);
    recallSum += hits / wanted;
    tieAwareSum += tieHits / wanted;
    if (tieHits < wanted) belowFull += 1;
  }
  const efSweep: SearchFigures["search"]["efSweep"] = [];
  for (const sweepEf of input.efValues) {
    signal.throwIfAborted();
    const index = await HnswVectorIndex.load(indexPath, { dimensions: embedder.dimensions, ef: sweepEf, deleted: checkpoint.deleted });
    const times: number[] = [];
    let sum = 0;
    for (const { vector, labels } of truths) {
      const start = performance.now();
      const found = index.search(vector, RECALL_K);
      times.push(performance.now() - start);
      sum += found.filter((hit) => labels.has(hit.label)).length / Math.min(RECALL_K, exact.size);
    }
    efSweep.push({ ef: sweepEf, denseK10Ms: summarize(times), recallAt10: sum / truths.length });
  }
  const lexicalStoreWide: number[] = [];
  const lexicalOnPage: number[] = [];
  reader.withSnapshot(() => {
    for (const query of queries) {
      let start = performance.now();
      reader.searchLexical(query.text, RETRIEVER_CANDIDATES);
      lexicalStoreWide.push(performance.now() - start);
      if (!query.productId) continue;
      start = performance.now();
      reader.searchLexical(query.text, 20, query.productId);
      lexicalOnPage.push(performance.now() - start);
    }
  });
  const retriever = await local.retriever();
  const hybridOnPage: number[] = [];
  const hybridStoreWide: number[] = [];
  for (const query of queries) {
    const start = performance.now();
    await retriever.retrieve({ query: query.text, productId: query.productId, topK: config.retrieval.topK, language: query.lang });
    (query.productId ? hybridOnPage : hybridStoreWide).push(performance.now() - start);
  }
  await local.close();

  progress("hybrid retrieval through a search worker (the serving path)…");
  const served = new WorkerPassageIndex({ workerData: { dataDir, embedding: config.embedding, ef, shape, logLevel: "silent" }, threads: 1, logger });
  const hybridWorker: number[] = [];
  try {
    await served.refresh();
    for (const query of queries) {
      const start = performance.now();
      await served.retrieve({ query: query.text, productId: query.productId, topK: config.retrieval.topK, language: query.lang });
      hybridWorker.push(performance.now() - start);
    }
  } finally {
    await served.close();
  }

  return {
    passages,
    storage: { indexFileBytes, databaseBytes },
    coldLoad: { indexLoadMs, indexRssBytes, knowledgeOpenMs, standaloneBuildRssBytes },
    search: {
      queries: queries.length,
      queryEmbeddingMs: summarize(embedTimes),
      denseK10Ms: summarize(dense10),
      denseK50Ms: summarize(dense50),
      recallAt10: recallSum / queries.length,
      recallAt10TieAware: tieAwareSum / queries.length,
      queriesBelowFullRecall: belowFull,
      efSweep,
      exactSearchMs: summarize(exactTimes),
      indexBuildMs: input.skipBuild ? null : indexBuildMs,
      hybridMs: summarize([...hybridOnPage, ...hybridStoreWide]),
      hybridOnPageMs: summarize(hybridOnPage),
      hybridStoreWideMs: summarize(hybridStoreWide),
      hybridWorkerMs: summarize(hybridWorker),
      lexicalStoreWideMs: summarize(lexicalStoreWide),
      lexicalOnPageMs: summarize(lexicalOnPage),
    },
  };
}
