import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../src/config.ts";
import { openLocalKnowledge } from "../../src/knowledge/open-local-knowledge.ts";
import { loadKnowledge } from "../../src/knowledge/load-knowledge.ts";
import type { ProductRecord } from "../../src/knowledge/read-catalog.ts";
import { splitDocument } from "../../src/knowledge/split-passages.ts";
import { createSilentLogger } from "../../src/logger.ts";
import type { Embedder } from "../../src/retrieval/embedder.ts";
import { HashingEmbedder } from "../../src/retrieval/hashing-embedder.ts";
import { HnswVectorIndex } from "../../src/retrieval/vector-index.ts";
import { loginAdmin, publishChanges, type PublishResponse } from "./admin-client.ts";
import { CHAT_QUESTIONS, questionFor } from "./chat-questions.ts";
import { ExactIndex } from "./exact-search.ts";
import { cores, megabytes, megabytesDelta, ms, percent, quantiles, seconds, verdict } from "./format.ts";
import { Pacer } from "./pacer.ts";
import { summarize, type Distribution } from "./percentiles.ts";
import { busyCores, sampleMachineCpu } from "./read-machine-cpu.ts";
import { readNumber, UsageError } from "./read-option.ts";
import { readProcessMemory } from "./read-process-memory.ts";
import type { BenchContext, OptionValues, Scenario } from "./scenario.ts";
import type { ProbeReport } from "./server-probe.ts";
import { startServerProcess, type ServerProcess } from "./start-server-process.ts";
import { generateCatalog, makeShopperQueries, readSampleTemplates, SYNTHETIC_SOURCE } from "./synthetic-catalog.ts";
import { TimedShopper } from "./timed-shopper.ts";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ACK_TIMEOUT_MS = 30_000;
const RECALL_K = 10;
/** Candidates the Retriever takes from the dense index (DEFAULT_RETRIEVER_OPTIONS.candidates). */
const RETRIEVER_CANDIDATES = 50;
/** A probe question is sent this often from the publish on, each from its own socket, several in flight. */
const PROBE_INTERVAL_MS = 200;
const PROBE_SOCKETS = 25;
const WARMUP_MS = 2_000;
const ADMIN = { email: "bench-admin@kefu.test", password: "bench-admin-password" };
const LOG_LINES_SHOWN = 5;
/** Targets: DESIGN.md (retrieval p99 ≤ 20 ms at 100k, ack p99 ≤ 25 ms) and anchors T2, T4, T5. */
const TARGETS = {
  annP99Ms: 5, retrievalP99DesignMs: 20, retrievalP99T4Ms: 50, coldLoadMs: 5_000, indexBytes: 250 * 1024 * 1024, recall: 0.95,
  ackP99Ms: 25, eventLoopP99Ms: 20,
};

/**
 * Issue 6's measurement. (a) In this process: a synthetic catalog in the sample store's shape
 * (plus the sample store itself) is ingested into a fresh knowledge base with the offline
 * embedder, then measured: throughput, index build, size and memory, cold load, dense search
 * latency and recall@10 against brute force over the same stored vectors, and full hybrid
 * retrieval. (b) The real server is started on that data folder; shoppers chat at a steady rate
 * while an admin publishes 1% of the documents changed, each with a new unique token; a probe
 * shopper asks about one token until an answer cites the changed document.
 */
export const ingestScenario: Scenario = {
  name: "ingest",
  summary: "ingest a large synthetic catalog (offline embedder): passages/s, index build/size/load, dense p50/p99 and recall@10, then a 1% update while shoppers chat",
  options: {
    passages: { type: "string", value: "<n>", default: "100000", description: "passages to ingest (the catalog grows until its documents split into about this many)" },
    "update-share": { type: "string", value: "<0..1>", default: "0.01", description: "share of the documents changed by the live update" },
    shoppers: { type: "string", value: "<n>", default: "200", description: "shoppers chatting during the update" },
    rate: { type: "string", value: "<msgs/s>", default: "20", description: "aggregate pace of their questions" },
    queries: { type: "string", value: "<n>", default: "1000", description: "queries for search latency and recall" },
    baseline: { type: "string", value: "<s>", default: "15", description: "seconds of chat measured before the update" },
    after: { type: "string", value: "<s>", default: "10", description: "seconds of chat measured once the update is answerable and published" },
    "update-timeout": { type: "string", value: "<s>", default: "180", description: "give up waiting for the update to be answerable after this" },
    "ef-sweep": { type: "string", value: "<ef,ef,…>", default: "64,256,512", description: "also measure dense k=10 latency and recall@10 at these ef values (the saved index loaded again with each); empty for none" },
    "skip-build": { type: "boolean", description: "skip the standalone index build that times the hnswlib part of the ingest" },
    "server-cpu-prof": { type: "string", value: "<dir>", description: "write a V8 CPU profile of the server of part (b) into this folder (node --cpu-prof)" },
    "skip-update": { type: "boolean", description: "stop after part (a): no server, no live update" },
    timeout: { type: "string", value: "<s>", default: "900", description: "stop, report and fail after this many seconds" },
  },
  run: runIngest,
};

type Tally = (kind: string, count?: number) => void;
type Delay = { p50: number; p99: number; max: number };

export type IngestReport = {
  scenario: "ingest";
  targetPassages: number;
  passages: number;
  documents: number;
  syntheticDocuments: number;
  embedder: string;
  dimensions: number;
  ef: number;
  ingest: {
    wallMs: number;
    passagesPerSecond: number;
    splitMs: number;
    embedMs: number;
    /** hnswlib alone: the same stored vectors added in the same order to an index with the same parameters (null with --skip-build). */
    indexBuildMs: number | null;
    /** Wall time left for the rest: SQLite rows and FTS terms in one transaction, product map, index save. */
    restMs: number | null;
    /** The longest the event loop of this process was blocked during the ingest (a server doing this would freeze that long). */
    eventLoopDelayMs: Delay;
    rssGrowthBytes: number;
    heapGrowthBytes: number;
    peakRssBytes: number | null;
  };
  storage: { indexFileBytes: number; databaseBytes: number };
  coldLoad: { indexLoadMs: number; indexRssBytes: number; knowledgeOpenMs: number; standaloneBuildRssBytes: number | null };
  search: {
    queries: number;
    queryEmbeddingMs: Distribution;
    denseK10Ms: Distribution;
    denseK50Ms: Distribution;
    recallAt10: number;
    /** Counting an approximate hit as correct when its exact similarity ties the 10th exact one. */
    recallAt10TieAware: number;
    queriesBelowFullRecall: number;
    /** Dense k=10 latency and recall@10 (strict) at other ef values, the saved index loaded with each. */
    efSweep: { ef: number; denseK10Ms: Distribution; recallAt10: number }[];
    exactSearchMs: Distribution;
    hybridMs: Distribution;
    hybridOnPageMs: Distribution;
    hybridStoreWideMs: Distribution;
    /** The lexical part alone (KnowledgeBase.searchLexical, FTS5 bm25, the Retriever's candidate count): store-wide, and limited to the page's product. */
    lexicalStoreWideMs: Distribution;
    lexicalOnPageMs: Distribution;
  };
  update: UpdateReport | null;
  errors: number;
  errorKinds: Record<string, number>;
  stoppedBy: string | null;
  machine: { cores: number; ingestBusyCores: number | null; loadAverage1m: number };
};

type PhaseFigures = { questions: number; ackMs: Distribution; answerStartMs: Distribution; handoffs: number; eventLoopDelayMs: Delay | null; serverCpuShare: number | null };

type UpdateReport = {
  shoppers: number;
  rate: number;
  serverStartMs: number;
  serverRssAfterStartBytes: number | null;
  changedDocuments: number;
  changedShare: number;
  publish: { status: number; responseMs: number | null; version: number | null; updated: number | null; passages: number | null };
  answerable: { afterMs: number | null; questionSentAfterMs: number | null; probes: number; answeredBeforeUpdate: boolean | null };
  before: PhaseFigures;
  during: PhaseFigures & { windowMs: number };
  after: PhaseFigures;
  serverRssAfterUpdateBytes: number | null;
  serverHeapAfterGcBytes: number | null;
  serverLog: { warnings: number; errors: number };
  /** The server started again on the updated folder: time to ready, and whether it loaded the saved index or rebuilt it. */
  restartAfterUpdate: { startMs: number; index: "loaded" | "rebuilt" | "?"; rssBytes: number | null };
  generator: { shareOfOneCore: number };
  machine: { busyCores: number | null; loadAverage1m: number };
};

async function runIngest(values: OptionValues, context: BenchContext): Promise<number> {
  const targetPassages = readNumber(values, "passages", { min: 100, integer: true })!;
  const updateShare = readNumber(values, "update-share", { min: 0 })!;
  if (updateShare > 1) throw new UsageError("--update-share must be between 0 and 1");
  const shopperCount = readNumber(values, "shoppers", { min: 1, integer: true })!;
  const rate = readNumber(values, "rate", { min: 0.1 })!;
  const queryCount = readNumber(values, "queries", { min: 1, integer: true })!;
  const baselineMs = readNumber(values, "baseline", { min: 1 })! * 1000;
  const afterMs = readNumber(values, "after", { min: 0 })! * 1000;
  const updateTimeoutMs = readNumber(values, "update-timeout", { min: 1 })! * 1000;
  const efValues = String(values["ef-sweep"] ?? "").split(",").map((item) => item.trim()).filter(Boolean).map(Number);
  if (efValues.some((value) => !Number.isInteger(value) || value < 10 || value > 2000)) throw new UsageError("--ef-sweep takes whole numbers between 10 and 2000, comma-separated");
  const { signal, progress } = context;
  const errors = new Map<string, number>();
  const fail: Tally = (kind, count = 1) => void (count > 0 && errors.set(kind, (errors.get(kind) ?? 0) + count));

  const root = await mkdtemp(join(tmpdir(), "kefu-bench-ingest-"));
  context.defer(() => rm(root, { recursive: true, force: true }));
  const dataDir = join(root, "data");
  const emptyKnowledge = join(root, "knowledge");
  await mkdir(emptyKnowledge, { recursive: true });
  const config = loadConfig({});
  const ef = config.retrieval.ef;

  // ---- (a) build and measure, in this process ----
  progress(`generating a catalog of about ${targetPassages} passages…`);
  const sampleDir = join(REPO_ROOT, "knowledge");
  const sample = (await loadKnowledge(sampleDir)).documents.map((document) => ({ ...document, source: "bench:sample" }));
  let samplePassages = 0;
  for (const document of sample) samplePassages += (await splitDocument(document)).length;
  const catalog = await generateCatalog(await readSampleTemplates(sampleDir), { targetPassages: Math.max(1, targetPassages - samplePassages) });
  const documents = [...sample, ...catalog.documents];

  const embedder = new TimedEmbedder(new HashingEmbedder());
  const logger = createSilentLogger();
  const open = () => openLocalKnowledge({ dataDir, embedder, ef, shape: { m: config.retrieval.m, efConstruction: config.retrieval.efConstruction }, synchronous: config.database.synchronous, logger });
  let splitMs = 0;
  for (const document of documents.slice(0, 2000)) {
    const began = performance.now();
    await splitDocument(document);
    splitMs += performance.now() - began;
  }
  splitMs *= documents.length / Math.min(documents.length, 2000);

  progress(`ingesting ${documents.length} documents with the ${embedder.id} embedder (applyChanges, one version)…`);
  const local = await open();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const memoryBefore = process.memoryUsage();
  const machineBefore = sampleMachineCpu();
  embedder.reset();
  delay.enable();
  const ingestBegan = performance.now();
  const ingested = await local.knowledge.applyChanges({ upserts: documents, deletes: [], origin: "bench:ingest" });
  // The search side builds its index from the published version and saves it.
  await (await local.reader()).checkpoint();
  const ingestMs = performance.now() - ingestBegan;
  delay.disable();
  const machineAfterIngest = sampleMachineCpu();
  const memoryAfter = process.memoryUsage();
  const peakRss = readProcessMemory(process.pid)?.peakRssBytes ?? null;
  const passages = ingested.passages;
  await local.close();
  const indexPath = join(dataDir, "vectors.hnsw");
  const databasePath = join(dataDir, "knowledge.db");
  const indexFileBytes = (await stat(indexPath)).size;
  const databaseBytes = (await stat(databasePath)).size + ((await stat(`${databasePath}-wal`).catch(() => null))?.size ?? 0);
  progress(`ingested ${passages} passages in ${seconds(ingestMs)}; loading the saved index cold…`);
  signal.throwIfAborted();

  // Cold load: the index file alone (its memory is the RSS it adds), then the whole knowledge base.
  let rssMark = process.memoryUsage().rss;
  let began = performance.now();
  let loadedAlone: HnswVectorIndex | null = await HnswVectorIndex.load(indexPath, { dimensions: embedder.dimensions, ef, deleted: 0 });
  const indexLoadMs = performance.now() - began;
  const indexRssBytes = process.memoryUsage().rss - rssMark;
  if (loadedAlone.size !== passages) fail("index-size-mismatch");
  loadedAlone = null;
  began = performance.now();
  const reopenedLocal = await open();
  const reopened = await reopenedLocal.reader();
  const knowledgeOpenMs = performance.now() - began;
  context.defer(() => reopenedLocal.close());
  if (reopened.indexStats.live !== passages) fail("reopened-index-size-mismatch");

  // Ground truth, and the hnswlib build timed on the same rows in the same order as a rebuild.
  const skipBuild = values["skip-build"] === true;
  progress(skipBuild ? "reading the stored vectors for exact search…" : "reading the stored vectors for exact search and timing a standalone index build on them…");
  let standalone: HnswVectorIndex | null = skipBuild ? null : HnswVectorIndex.create({ dimensions: embedder.dimensions, capacity: Math.ceil(passages * 1.2) + 16, ef });
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

  progress(`searching: ${queryCount} queries, dense k=${RECALL_K} and k=${RETRIEVER_CANDIDATES} (ef ${ef}), exact, hybrid…`);
  const queries = makeShopperQueries(catalog.products, CHAT_QUESTIONS, queryCount);
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
    const approximate = reopened.searchDense(vector, RECALL_K);
    dense10.push(performance.now() - start);
    start = performance.now();
    reopened.searchDense(vector, RETRIEVER_CANDIDATES);
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
  for (const sweepEf of efValues) {
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
  for (const query of queries) {
    let start = performance.now();
    reopened.searchLexical(query.text, RETRIEVER_CANDIDATES);
    lexicalStoreWide.push(performance.now() - start);
    if (!query.productId) continue;
    start = performance.now();
    reopened.searchLexical(query.text, 20, query.productId);
    lexicalOnPage.push(performance.now() - start);
  }
  const retriever = await reopenedLocal.retriever();
  const hybridOnPage: number[] = [];
  const hybridStoreWide: number[] = [];
  for (const query of queries) {
    const start = performance.now();
    await retriever.retrieve({ query: query.text, productId: query.productId, topK: config.retrieval.topK, language: query.lang });
    (query.productId ? hybridOnPage : hybridStoreWide).push(performance.now() - start);
  }
  await reopenedLocal.close();

  const cpuCores = availableParallelism();
  const report: IngestReport = {
    scenario: "ingest",
    targetPassages,
    passages,
    documents: documents.length,
    syntheticDocuments: catalog.documents.length,
    embedder: embedder.id,
    dimensions: embedder.dimensions,
    ef,
    ingest: {
      wallMs: ingestMs,
      passagesPerSecond: passages / (ingestMs / 1000),
      splitMs,
      embedMs: embedder.busyMs,
      indexBuildMs: skipBuild ? null : indexBuildMs,
      restMs: skipBuild ? null : ingestMs - splitMs - embedder.busyMs - indexBuildMs,
      eventLoopDelayMs: { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
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
      lexicalStoreWideMs: summarize(lexicalStoreWide),
      lexicalOnPageMs: summarize(lexicalOnPage),
    },
    update: null,
    errors: 0,
    errorKinds: {},
    stoppedBy: null,
    machine: { cores: cpuCores, ingestBusyCores: busyCores(machineBefore, machineAfterIngest, cpuCores), loadAverage1m: loadavg()[0]! },
  };
  printBuildReport(report);

  // ---- (b) a live update while shoppers chat, against the real server on this data ----
  if (values["skip-update"] !== true && !signal.aborted) {
    try {
      report.update = await updateWhileChatting(
        {
          dataDir, emptyKnowledge, products: catalog.products, totalDocuments: documents.length, updateShare, shopperCount, rate, baselineMs, afterMs, updateTimeoutMs,
          nodeArgs: typeof values["server-cpu-prof"] === "string" ? ["--cpu-prof", `--cpu-prof-dir=${resolve(values["server-cpu-prof"])}`] : [],
        },
        context,
        fail,
      );
      printUpdateReport(report.update);
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }
  report.errors = [...errors.values()].reduce((sum, count) => sum + count, 0);
  report.errorKinds = Object.fromEntries(errors);
  report.stoppedBy = signal.aborted ? String((signal.reason as Error | undefined)?.message ?? signal.reason) : null;
  report.machine.loadAverage1m = loadavg()[0]!;
  printTargets(report);
  console.log(JSON.stringify(report));
  return report.errors > 0 || signal.aborted ? 1 : 0;
}

/** The offline embedder, timed: the same id, so the server reuses what the bench built. */
class TimedEmbedder implements Embedder {
  readonly #inner: Embedder;
  busyMs = 0;

  constructor(inner: Embedder) {
    this.#inner = inner;
  }

  get id(): string {
    return this.#inner.id;
  }

  get dimensions(): number {
    return this.#inner.dimensions;
  }

  get fusionWeight(): number | undefined {
    return this.#inner.fusionWeight;
  }

  reset(): void {
    this.busyMs = 0;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const began = performance.now();
    try {
      return await this.#inner.embed(texts);
    } finally {
      this.busyMs += performance.now() - began;
    }
  }
}

type UpdateInput = {
  dataDir: string;
  emptyKnowledge: string;
  products: readonly ProductRecord[];
  totalDocuments: number;
  updateShare: number;
  shopperCount: number;
  rate: number;
  baselineMs: number;
  afterMs: number;
  updateTimeoutMs: number;
  nodeArgs: string[];
};

type ChatSample = { sentAt: number; ackMs: number; answerStartMs: number | null; handoff: boolean };

async function updateWhileChatting(input: UpdateInput, context: BenchContext, fail: Tally): Promise<UpdateReport> {
  const { signal, progress } = context;
  progress("starting the server on the ingested data folder…");
  const serverEnv = { DATA_DIR: input.dataDir, KNOWLEDGE_DIR: input.emptyKnowledge, KNOWLEDGE_WATCH: "false", ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
  const server = await startServerProcess({
    env: serverEnv,
    nodeArgs: input.nodeArgs,
    signal,
    readyTimeoutMs: 300_000,
  });
  context.defer(() => server.stop());
  const serverRssAfterStart = server.memory()?.rssBytes ?? null;
  progress(`server pid ${server.pid} ready in ${seconds(server.startupMs)} (${server.passages ?? "?"} passages), RSS ${megabytes(serverRssAfterStart)}`);
  const token = await loginAdmin(server.url, ADMIN, signal);

  // The change: every n-th synthetic document gets a new price and a new attribute with a unique token.
  const count = Math.min(input.products.length, Math.max(1, Math.round(input.updateShare * input.totalDocuments)));
  const stride = Math.max(1, Math.floor(input.products.length / count));
  const changed = Array.from({ length: count }, (_, position) => {
    const product = input.products[position * stride]!;
    const token = `kfupd${position.toString(36)}x${((position * 2_654_435_761) >>> 0).toString(36)}`;
    const key = product.lang === "en" ? "Batch code" : "批次码";
    return { product: { ...product, price: product.price + 1 + (position % 7), attributes: { ...product.attributes, [key]: token } }, token };
  });
  const target = changed.find((entry) => entry.product.lang === "en") ?? changed[0]!;
  const targetDocument = `product:${target.product.sku}:${target.product.lang}`;
  // Asked from the changed product's page, as a shopper there would: only the new version holds the answer (the token).
  const probeQuestion = target.product.lang === "en" ? "What is the batch code?" : "批次码是多少？";
  const probeTarget = { question: probeQuestion, productId: target.product.sku, documentId: targetDocument, token: target.token, locale: target.product.lang };

  progress(`connecting ${input.shopperCount} shoppers…`);
  const shoppers = Array.from({ length: input.shopperCount }, () => new TimedShopper(server.url));
  const probeSockets = Array.from({ length: PROBE_SOCKETS }, () => new TimedShopper(server.url));
  context.defer(() => [...shoppers, ...probeSockets].forEach((shopper) => shopper.close()));
  await Promise.all([...shoppers, ...probeSockets].map((shopper) => shopper.connect(signal)));
  await Promise.all(
    shoppers.map(async (shopper, index) => {
      const started = await shopper.start({ locale: questionFor(index, 0).locale }, ACK_TIMEOUT_MS, signal);
      if (!started.response.ok) throw new Error(`conversation-start refused: ${started.response.error.code}`);
    }),
  );

  // Shoppers ask at a steady aggregate pace until told to stop.
  const stop = new AbortController();
  const chatSignal = AbortSignal.any([signal, stop.signal]);
  const pacer = new Pacer(input.rate);
  const samples: ChatSample[] = [];
  const cpuBefore = process.cpuUsage();
  const machineBefore = sampleMachineCpu();
  const chatBegan = performance.now();
  const loops = shoppers.map(async (shopper, index) => {
    for (let message = 0; !chatSignal.aborted; message += 1) {
      try {
        await pacer.wait(chatSignal);
        const { response, sentAt, ackAt } = await shopper.send(questionFor(index, message).text, ACK_TIMEOUT_MS, chatSignal);
        if (!response.ok) {
          fail(`nack:${response.error.code}`);
          continue;
        }
        const outcome = await shopper.outcomeOf(response.data.seq, chatSignal);
        if (outcome.kind === "answer") {
          samples.push({ sentAt, ackMs: ackAt - sentAt, answerStartMs: outcome.startAt - sentAt, handoff: false });
        } else {
          samples.push({ sentAt, ackMs: ackAt - sentAt, answerStartMs: null, handoff: true });
          const restarted = await shopper.start({ locale: questionFor(index, 0).locale }, ACK_TIMEOUT_MS, chatSignal);
          if (!restarted.response.ok) throw new Error(`restart refused: ${restarted.response.error.code}`);
        }
      } catch (error) {
        if (chatSignal.aborted) return;
        fail((error as Error).message.startsWith("disconnected") ? "disconnected" : "chat-error");
        if (!shopper.socket.connected) return;
      }
    }
  });

  try {
    await sleep(WARMUP_MS, undefined, { signal });
    const baselineBegan = performance.now();
    server.resetProbe();
    // The probe question must not be answerable yet: its token does not exist before the update.
    const before = await askProbe(probeSockets[0]!, probeTarget, signal);
    progress(`${input.shopperCount} shoppers chatting at ${input.rate} msg/s; baseline ${seconds(input.baselineMs)}…`);
    await sleep(Math.max(0, input.baselineMs - (performance.now() - baselineBegan)), undefined, { signal });
    const beforeProbe = await server.probe(5_000, { gc: false });
    server.resetProbe();

    progress(`publishing ${changed.length} changed documents (${(input.updateShare * 100).toFixed(1)}%) through the admin API…`);
    const publishAt = performance.now();
    let responseAt: number | null = null;
    const publishing = publishChanges(server.url, token, { documents: changed.map(({ product }) => ({ type: "product", ...product })) }, signal).then((response) => {
      responseAt = performance.now();
      return response;
    });
    // Probes overlap (a new one every PROBE_INTERVAL_MS on an idle socket), so a stalled server does not
    // coarsen the measurement: answerable = the first arrival of an answer that cites the change.
    let answerableAt: number | null = null;
    let answerableQuestionAt: number | null = null;
    let probesSent = 0;
    const idle = [...probeSockets];
    const inFlight = new Set<Promise<void>>();
    const giveUpAt = publishAt + input.updateTimeoutMs;
    while (answerableAt === null && performance.now() < giveUpAt && !signal.aborted) {
      const tick = performance.now();
      const socket = idle.pop();
      if (socket) {
        probesSent += 1;
        const flight: Promise<void> = askProbe(socket, probeTarget, signal)
          .then((result) => {
            if (result?.cites && answerableAt === null) {
              answerableAt = result.at;
              answerableQuestionAt = result.sentAt;
            }
          })
          .catch((error: unknown) => {
            if (!signal.aborted) fail(`probe:${(error as Error).message.slice(0, 40)}`);
          })
          .finally(() => {
            idle.push(socket);
            inFlight.delete(flight);
          });
        inFlight.add(flight);
      }
      await sleep(Math.max(0, PROBE_INTERVAL_MS - (performance.now() - tick)), undefined, { signal });
    }
    if (answerableAt === null) fail("update-not-answerable");
    let published: PublishResponse = { status: 0, body: {} };
    try {
      published = await publishing;
    } catch (error) {
      fail("publish-failed");
      progress(`publish failed: ${(error as Error).message}`);
    }
    if (published.status !== 200 || !published.body.published) fail(`publish-http-${published.status}`);
    const duringEnd = Math.max(responseAt ?? performance.now(), answerableAt ?? 0);
    const duringProbe = await server.probe(5_000, { gc: false });
    server.resetProbe();
    const rssAfterUpdate = server.memory()?.rssBytes ?? null;
    progress(`update answerable after ${seconds(answerableAt === null ? null : answerableAt - publishAt)}, HTTP response after ${seconds(responseAt === null ? null : responseAt - publishAt)}; ${seconds(input.afterMs)} more of chat…`);
    await sleep(input.afterMs, undefined, { signal });
    const afterEnd = performance.now();
    const afterProbe = await server.probe(10_000);
    stop.abort();
    await Promise.race([Promise.all(loops), sleep(10_000)]);
    const cpu = process.cpuUsage(cpuBefore);
    const elapsed = performance.now() - chatBegan;
    const machineAfter = sampleMachineCpu();
    fail("server-log-error", server.logs.errors);
    if (server.logs.errors > 0 || server.logs.warnings > 0) {
      const tail = server.logs.tail.slice(-LOG_LINES_SHOWN).map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line));
      console.log(`server log (${server.logs.warnings} warnings, ${server.logs.errors} errors), last lines:\n  ${tail.join("\n  ")}`);
    }

    // A restart on the updated folder: is the saved index reused, or rebuilt from the stored vectors?
    for (const shopper of [...shoppers, ...probeSockets]) shopper.close();
    await server.stop();
    progress("restarting the server on the updated data folder (cold start after an update)…");
    const restarted = await startServerProcess({ env: { ...serverEnv, LOG_LEVEL: "info" }, signal, readyTimeoutMs: 300_000 });
    const restartLog = restarted.logs.tail.join("\n");
    const restart = {
      startMs: restarted.startupMs,
      index: restartLog.includes("vector index built") ? "rebuilt" : restartLog.includes("vector index loaded") ? "loaded" : "?",
      rssBytes: restarted.memory()?.rssBytes ?? null,
    } as const;
    fail("restart-log-error", restarted.logs.errors);
    await restarted.stop();

    const phase = (from: number, to: number, probeReport: ProbeReport | null): PhaseFigures => {
      const inPhase = samples.filter((sample) => sample.sentAt >= from && sample.sentAt < to);
      return {
        questions: inPhase.length,
        ackMs: summarize(inPhase.map((sample) => sample.ackMs)),
        answerStartMs: summarize(inPhase.flatMap((sample) => (sample.answerStartMs === null ? [] : [sample.answerStartMs]))),
        handoffs: inPhase.filter((sample) => sample.handoff).length,
        eventLoopDelayMs: probeReport ? { p50: probeReport.eventLoopDelayMs.p50, p99: probeReport.eventLoopDelayMs.p99, max: probeReport.eventLoopDelayMs.max } : null,
        serverCpuShare: probeReport ? (probeReport.cpuMicros.user + probeReport.cpuMicros.system) / 1000 / probeReport.elapsedMs : null,
      };
    };
    const generatorShare = (cpu.user + cpu.system) / 1000 / elapsed;
    const machineCores = busyCores(machineBefore, machineAfter, availableParallelism());
    return {
      shoppers: input.shopperCount,
      rate: input.rate,
      serverStartMs: server.startupMs,
      serverRssAfterStartBytes: serverRssAfterStart,
      changedDocuments: changed.length,
      changedShare: changed.length / input.totalDocuments,
      publish: {
        status: published.status,
        responseMs: responseAt === null ? null : responseAt - publishAt,
        version: published.body.report?.version ?? null,
        updated: published.body.report?.updated ?? null,
        passages: published.body.report?.passages ?? null,
      },
      answerable: {
        afterMs: answerableAt === null ? null : answerableAt - publishAt,
        questionSentAfterMs: answerableQuestionAt === null ? null : answerableQuestionAt - publishAt,
        probes: probesSent,
        answeredBeforeUpdate: before?.cites ?? null,
      },
      before: phase(baselineBegan, publishAt, beforeProbe),
      during: { ...phase(publishAt, duringEnd, duringProbe), windowMs: duringEnd - publishAt },
      after: phase(duringEnd, afterEnd, afterProbe),
      serverRssAfterUpdateBytes: rssAfterUpdate,
      serverHeapAfterGcBytes: afterProbe?.heapUsedAfterGc ?? null,
      serverLog: { warnings: server.logs.warnings, errors: server.logs.errors },
      restartAfterUpdate: restart,
      generator: { shareOfOneCore: generatorShare },
      machine: { busyCores: machineCores, loadAverage1m: loadavg()[0]! },
    };
  } finally {
    stop.abort();
  }
}

type ProbeTarget = { question: string; productId: string; documentId: string; token: string; locale: "en" | "zh" };

/**
 * One probe: a fresh conversation on the changed product's page asks the probe question; it
 * counts as answered by the update when a complete answer cites the changed document and quotes
 * its new token.
 */
async function askProbe(probe: TimedShopper, target: ProbeTarget, signal: AbortSignal): Promise<{ cites: boolean; sentAt: number; at: number } | null> {
  const started = await probe.start({ locale: target.locale, productId: target.productId }, ACK_TIMEOUT_MS, signal);
  if (!started.response.ok) throw new Error(`probe start refused: ${started.response.error.code}`);
  const { response, sentAt } = await probe.send(target.question, ACK_TIMEOUT_MS, signal);
  if (!response.ok) throw new Error(`probe refused: ${response.error.code}`);
  const outcome = await probe.outcomeOf(response.data.seq, signal);
  if (outcome.kind !== "answer") return { cites: false, sentAt, at: outcome.at };
  const cites = outcome.status === "complete" && outcome.citedDocuments.includes(target.documentId) && outcome.text.includes(target.token);
  return { cites, sentAt, at: outcome.endAt };
}

function printBuildReport(report: IngestReport): void {
  const { ingest, storage, coldLoad, search } = report;
  const lines = [
    `ingest: ${report.passages} passages in ${report.documents} documents (${report.syntheticDocuments} synthetic in the sample store's shape + the sample store), embedder ${report.embedder} (${report.dimensions}-d), hnswlib M=16 efConstruction=200, ef ${report.ef}`,
    `  ingest        ${seconds(ingest.wallMs)} → ${ingest.passagesPerSecond.toFixed(0)} passages/s (KnowledgeBase.applyChanges, one version)`,
    `    parts       split ≈ ${seconds(ingest.splitMs)}; embedding ${seconds(ingest.embedMs)} (${(report.passages / (ingest.embedMs / 1000)).toFixed(0)} passages/s); hnswlib build ${ingest.indexBuildMs === null ? "not timed (--skip-build)" : `${seconds(ingest.indexBuildMs)} (standalone, same vectors, order and parameters)`}; rest ≈ ${ingest.restMs === null ? "?" : seconds(ingest.restMs)} (SQLite rows + FTS terms, product map, index save; the build is timed separately, so this is approximate)`,
    `    event loop  blocked up to ${ms(ingest.eventLoopDelayMs.max)} at once during the ingest (the publishing step: one SQLite transaction with every row and FTS entry, then the product map; p99 ${ms(ingest.eventLoopDelayMs.p99)}); machine ${cores(report.machine.ingestBusyCores)} of ${report.machine.cores} cores busy`,
    `    memory      RSS ${megabytesDelta(ingest.rssGrowthBytes)}, heap ${megabytesDelta(ingest.heapGrowthBytes)} over the ingest, peak RSS ${megabytes(ingest.peakRssBytes)}`,
    `  storage       index file ${megabytes(storage.indexFileBytes)}, knowledge.db ${megabytes(storage.databaseBytes)}`,
    `  cold load     index file alone ${ms(coldLoad.indexLoadMs)} (RSS ${megabytesDelta(coldLoad.indexRssBytes)}); KnowledgeBase.open ${ms(coldLoad.knowledgeOpenMs)}${coldLoad.standaloneBuildRssBytes === null ? "" : `; built index RSS ≈ ${megabytesDelta(coldLoad.standaloneBuildRssBytes)}`}`,
    `  query embed   ${quantiles(search.queryEmbeddingMs, ["p50", "p99", "max"])}`,
    `  dense k=10    ${quantiles(search.denseK10Ms, ["p50", "p99", "max"])}    k=50 ${quantiles(search.denseK50Ms, ["p50", "p99", "max"])}`,
    `  recall@10     ${search.recallAt10.toFixed(4)} (tie-aware ${search.recallAt10TieAware.toFixed(4)}; ${search.queriesBelowFullRecall}/${search.queries} queries below 1) against brute force over the same stored vectors (exact search ${quantiles(search.exactSearchMs, ["p50", "p99"])})`,
    ...search.efSweep.map((row) => `  ef ${String(row.ef).padEnd(9)} dense k=10 ${quantiles(row.denseK10Ms, ["p50", "p99"])}  recall@10 ${row.recallAt10.toFixed(4)}`),
    `  hybrid        Retriever.retrieve ${quantiles(search.hybridMs, ["p50", "p99", "max"])}; on a product page ${quantiles(search.hybridOnPageMs, ["p50", "p99"])}; store-wide ${quantiles(search.hybridStoreWideMs, ["p50", "p99"])}`,
    `    lexical     FTS5 bm25 alone: store-wide (50 candidates) ${quantiles(search.lexicalStoreWideMs, ["p50", "p99", "max"])}; page's product (20) ${quantiles(search.lexicalOnPageMs, ["p50", "p99", "max"])}`,
  ];
  console.log(lines.join("\n"));
}

function printUpdateReport(update: UpdateReport): void {
  const row = (name: string, figures: PhaseFigures) =>
    `    ${name.padEnd(7)} ${String(figures.questions).padStart(5)} questions  ack ${quantiles(figures.ackMs, ["p50", "p99", "max"])}  answer-start ${quantiles(figures.answerStartMs, ["p50", "p99"])}  hand-offs ${figures.handoffs}  event loop p99 ${ms(figures.eventLoopDelayMs?.p99)} max ${ms(figures.eventLoopDelayMs?.max)}  server CPU ${percent(figures.serverCpuShare)}`;
  const lines = [
    `update while chatting: ${update.shoppers} shoppers at ${update.rate} msg/s; server started on the ingested folder in ${seconds(update.serverStartMs)} (RSS ${megabytes(update.serverRssAfterStartBytes)})`,
    `  publish       ${update.changedDocuments} documents changed (${(update.changedShare * 100).toFixed(2)}%): HTTP ${update.publish.status} after ${seconds(update.publish.responseMs)} (version ${update.publish.version ?? "?"}, ${update.publish.updated ?? "?"} updated, ${update.publish.passages ?? "?"} passages)`,
    `  answerable    ${seconds(update.answerable.afterMs)} after the publish request (first citing answer; its question was sent at +${seconds(update.answerable.questionSentAfterMs)}; ${update.answerable.probes} probes, one every 200 ms; before the update it was ${update.answerable.answeredBeforeUpdate === null ? "?" : update.answerable.answeredBeforeUpdate ? "ALREADY answerable (probe broken)" : "not answerable"})`,
    `  chat (by send time)`,
    row("before", update.before),
    `${row("during", update.during)}  [${seconds(update.during.windowMs)} window]`,
    row("after", update.after),
    `  server        RSS ${megabytes(update.serverRssAfterUpdateBytes)} after the update, heap ${megabytes(update.serverHeapAfterGcBytes)} after GC; log ${update.serverLog.warnings} warnings, ${update.serverLog.errors} errors`,
    `  restart       cold start on the updated folder: ready after ${seconds(update.restartAfterUpdate.startMs)}, vector index ${update.restartAfterUpdate.index}, RSS ${megabytes(update.restartAfterUpdate.rssBytes)}`,
    `  generator     ${percent(update.generator.shareOfOneCore)} of one core; machine ${cores(update.machine.busyCores)} cores busy, load average ${update.machine.loadAverage1m.toFixed(2)}`,
  ];
  console.log(lines.join("\n"));
}

function printTargets(report: IngestReport): void {
  const { search, coldLoad, storage, update } = report;
  const at = report.passages >= 100_000 ? "" : ` [measured at ${report.passages} passages, targets are for 100k]`;
  const lines = [
    `  targets${at}`,
    `    T4 ANN p99 ≤ ${TARGETS.annP99Ms} ms: k=10 ${verdict(search.denseK10Ms.p99, TARGETS.annP99Ms)}, k=50 ${verdict(search.denseK50Ms.p99, TARGETS.annP99Ms)};  full retrieval p99 ≤ ${TARGETS.retrievalP99T4Ms} ms (T4) ${verdict(search.hybridMs.p99, TARGETS.retrievalP99T4Ms)}, ≤ ${TARGETS.retrievalP99DesignMs} ms (DESIGN) ${verdict(search.hybridMs.p99, TARGETS.retrievalP99DesignMs)}`,
    `    T4 cold load ≤ 5 s: ${verdict(coldLoad.knowledgeOpenMs, TARGETS.coldLoadMs)}${update ? `, after an update ${verdict(update.restartAfterUpdate.startMs, TARGETS.coldLoadMs)} (server ready)` : ""};  index memory ≤ 250 MB: file ${verdict(storage.indexFileBytes, TARGETS.indexBytes)}, RSS on load ${verdict(coldLoad.indexRssBytes, TARGETS.indexBytes)};  T5 recall@10 ≥ ${TARGETS.recall}: ${verdict(search.recallAt10, TARGETS.recall, "min")} (tie-aware ${verdict(search.recallAt10TieAware, TARGETS.recall, "min")})`,
    ...(update
      ? [`    during the update: ack p99 ≤ ${TARGETS.ackP99Ms} ms ${verdict(update.during.ackMs.p99, TARGETS.ackP99Ms)}, event loop p99 ≤ ${TARGETS.eventLoopP99Ms} ms ${verdict(update.during.eventLoopDelayMs?.p99, TARGETS.eventLoopP99Ms)} (T2 budgets; the issue asks for no long synchronous work while shoppers wait)`]
      : []),
    `  errors        ${report.errors}${report.errors > 0 ? ` ${JSON.stringify(report.errorKinds)}` : ""}${report.stoppedBy ? `  [STOPPED: ${report.stoppedBy}]` : ""}`,
  ];
  console.log(lines.join("\n"));
}
