import { stat } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Config } from "../../src/config.ts";
import type { SourceDocument } from "../../src/knowledge/source-document.ts";
import { openLocalKnowledge } from "../../src/knowledge/open-local-knowledge.ts";
import { indexedText, splitDocument } from "../../src/knowledge/split-passages.ts";
import { WorkerKnowledgeStore } from "../../src/knowledge/worker-knowledge-store.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { HashingEmbedder } from "../../src/retrieval/hashing-embedder.ts";
import { HnswVectorIndex } from "../../src/retrieval/vector-index.ts";
import { WorkerPassageIndex } from "../../src/retrieval/worker-passage-index.ts";
import { CHAT_QUESTIONS } from "./chat-questions.ts";
import { ExactIndex } from "./exact-search.ts";
import { seconds } from "./format.ts";
import type { IngestReport, Tally } from "./ingest-report.ts";
import { summarize } from "./percentiles.ts";
import { busyCores, sampleMachineCpu } from "./read-machine-cpu.ts";
import { readProcessMemory } from "./read-process-memory.ts";
import type { BenchContext } from "./scenario.ts";
import { makeShopperQueries, type SyntheticCatalog } from "./synthetic-catalog.ts";

const RECALL_K = 10;
/** Candidates the Retriever takes from the dense index (DEFAULT_RETRIEVER_OPTIONS.candidates). */
const RETRIEVER_CANDIDATES = 50;
/** Texts split and embedded in this thread to estimate those parts of the ingest. */
const SAMPLE = 2_000;
const IDLE_MS = 3_000;

export type BuildInput = {
  dataDir: string;
  documents: SourceDocument[];
  catalog: SyntheticCatalog;
  config: Config;
  queryCount: number;
  efValues: number[];
  skipBuild: boolean;
};

/**
 * Part (a) of the ingest bench, in this process: the documents are published as one version the
 * way the server does it (the writer in its own thread, then the search worker building its index
 * from the stored vectors), with this thread's event loop watched throughout; then search is
 * measured: cold load, dense latency and recall@10 against brute force over the same stored
 * vectors, lexical and hybrid retrieval in this thread, and hybrid through a search worker.
 */
export async function buildAndMeasure(input: BuildInput, context: BenchContext, fail: Tally): Promise<IngestReport> {
  const { dataDir, documents, catalog, config } = input;
  const { signal, progress } = context;
  const embedder = new HashingEmbedder();
  const { ef } = config.retrieval;
  const shape = { m: config.retrieval.m, efConstruction: config.retrieval.efConstruction };
  const logger = createSilentLogger();

  // Split and embedding cost, from a sample timed here (the ingest itself runs in the writer thread).
  const sample = documents.slice(0, SAMPLE);
  let began = performance.now();
  const samplePassages = (await Promise.all(sample.map((document) => splitDocument(document)))).flat();
  const splitMs = ((performance.now() - began) * documents.length) / sample.length;
  began = performance.now();
  await embedder.embed(samplePassages.map(indexedText));
  const embedPerPassageMs = (performance.now() - began) / Math.max(1, samplePassages.length);

  progress(`publishing ${documents.length} documents as one version (writer thread), then building the search index (search worker)…`);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  const memoryBefore = process.memoryUsage();
  const machineBefore = sampleMachineCpu();
  const knowledge = await WorkerKnowledgeStore.open({ workerData: { dataDir, embedding: config.embedding, synchronous: config.database.synchronous, logLevel: "silent" }, logger });
  const pool = new WorkerPassageIndex({ workerData: { dataDir, embedding: config.embedding, ef, shape, logLevel: "silent" }, threads: 1, logger });
  await pool.refresh();
  // The same watch over an idle moment first: on a busy machine the loop waits for a core even with nothing to do.
  delay.enable();
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  delay.disable();
  const idleDelay = { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 };
  delay.reset();
  delay.enable();
  const ingestBegan = performance.now();
  const ingested = await knowledge.applyChanges({ upserts: documents, deletes: [], origin: "bench:ingest" });
  const publishMs = performance.now() - ingestBegan;
  await pool.refresh();
  const ingestMs = performance.now() - ingestBegan;
  delay.disable();
  const machineAfterIngest = sampleMachineCpu();
  const memoryAfter = process.memoryUsage();
  const peakRss = readProcessMemory(process.pid)?.peakRssBytes ?? null;
  const passages = ingested.passages;
  await pool.close();
  await knowledge.close();
  const indexPath = join(dataDir, "vectors.hnsw");
  const databasePath = join(dataDir, "knowledge.db");
  const indexFileBytes = (await stat(indexPath)).size;
  const databaseBytes = (await stat(databasePath)).size + ((await stat(`${databasePath}-wal`).catch(() => null))?.size ?? 0);
  progress(`ingested ${passages} passages in ${seconds(ingestMs)} (publish ${seconds(publishMs)}); loading the saved index cold…`);
  signal.throwIfAborted();

  // Cold load: the index file alone (its memory is the RSS it adds), then the whole read side.
  let rssMark = process.memoryUsage().rss;
  began = performance.now();
  let loadedAlone: HnswVectorIndex | null = await HnswVectorIndex.load(indexPath, { dimensions: embedder.dimensions, ef, deleted: 0 });
  const indexLoadMs = performance.now() - began;
  const indexRssBytes = process.memoryUsage().rss - rssMark;
  if (loadedAlone.size !== passages) fail("index-size-mismatch");
  loadedAlone = null;
  began = performance.now();
  const local = await openLocalKnowledge({ dataDir, embedder, ef, shape, synchronous: config.database.synchronous, logger });
  const reader = await local.reader();
  const knowledgeOpenMs = performance.now() - began;
  context.defer(() => local.close());
  if (reader.indexStats.live !== passages) fail("reopened-index-size-mismatch");

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
  const standaloneBuildRssBytes = standalone ? process.memoryUsage().rss - rssMark - exact.size * exact.dimensions * 4 : null;
  standalone = null;
  signal.throwIfAborted();

  progress(`searching: ${input.queryCount} queries, dense k=${RECALL_K} and k=${RETRIEVER_CANDIDATES} (ef ${ef}), exact, lexical, hybrid…`);
  const queries = makeShopperQueries(catalog.products, CHAT_QUESTIONS, input.queryCount);
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
  const efSweep: IngestReport["search"]["efSweep"] = [];
  for (const sweepEf of input.efValues) {
    signal.throwIfAborted();
    const index = await HnswVectorIndex.load(indexPath, { dimensions: embedder.dimensions, ef: sweepEf, deleted: 0 });
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

  const cpuCores = availableParallelism();
  return {
    scenario: "ingest",
    targetPassages: 0,
    passages,
    documents: documents.length,
    syntheticDocuments: catalog.documents.length,
    embedder: embedder.id,
    dimensions: embedder.dimensions,
    ef,
    shape,
    ingest: {
      wallMs: ingestMs,
      passagesPerSecond: passages / (ingestMs / 1000),
      publishMs,
      searchReadyMs: ingestMs - publishMs,
      splitMs,
      embedMs: embedPerPassageMs * passages,
      indexBuildMs: input.skipBuild ? null : indexBuildMs,
      eventLoopDelayMs: { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
      idleEventLoopDelayMs: idleDelay,
      rssGrowthBytes: memoryAfter.rss - memoryBefore.rss,
      heapGrowthBytes: memoryAfter.heapUsed - memoryBefore.heapUsed,
      peakRssBytes: peakRss,
    },
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
      hybridMs: summarize([...hybridOnPage, ...hybridStoreWide]),
      hybridOnPageMs: summarize(hybridOnPage),
      hybridStoreWideMs: summarize(hybridStoreWide),
      hybridWorkerMs: summarize(hybridWorker),
      lexicalStoreWideMs: summarize(lexicalStoreWide),
      lexicalOnPageMs: summarize(lexicalOnPage),
    },
    update: null,
    errors: 0,
    errorKinds: {},
    stoppedBy: null,
    machine: { cores: cpuCores, ingestBusyCores: busyCores(machineBefore, machineAfterIngest, cpuCores), loadAverage1m: loadavg()[0]! },
  };
}
