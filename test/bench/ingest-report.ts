import { cores, megabytes, megabytesDelta, ms, percent, quantiles, seconds, verdict } from "./format.ts";
import type { Distribution } from "./percentiles.ts";

/** Targets: DESIGN.md and issue 9 (retrieval at 100k, publishing off the event loop), anchors T2, T4, T5. */
export const TARGETS = {
  annP99Ms: 5, retrievalP99DesignMs: 20, lexicalP99Ms: 10, retrievalP99T4Ms: 50, coldLoadMs: 5_000, indexBytes: 250 * 1024 * 1024, recall: 0.95,
  ackP99Ms: 25, eventLoopP99Ms: 20, publishBlockMs: 50,
};

export type Tally = (kind: string, count?: number) => void;
export type Delay = { p50: number; p99: number; max: number };

export type IngestReport = {
  scenario: "ingest";
  targetPassages: number;
  passages: number;
  documents: number;
  syntheticDocuments: number;
  embedder: string;
  dimensions: number;
  ef: number;
  shape: { m: number; efConstruction: number };
  ingest: {
    wallMs: number;
    passagesPerSecond: number;
    /** The knowledge writer thread: split, embed, segment and one SQLite transaction (WorkerKnowledgeStore.applyChanges). */
    publishMs: number;
    /** The search worker building its hnswlib index from the published version and saving it (WorkerPassageIndex.refresh). */
    searchReadyMs: number;
    /** Estimates from samples timed in this thread. */
    splitMs: number;
    embedMs: number;
    /** hnswlib alone: the same stored vectors added in the same order to an index with the same parameters (null with --skip-build). */
    indexBuildMs: number | null;
    /** This process's event loop (the server's, when it publishes) during publish and index build: the longest block is the figure. */
    eventLoopDelayMs: Delay;
    /** The same watch over an idle moment just before: what the machine alone costs the loop. */
    idleEventLoopDelayMs: Delay;
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
    /** The serving path: WorkerPassageIndex.retrieve, one search worker, queries one after another (embedding and the thread hop included). */
    hybridWorkerMs: Distribution;
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

export type PhaseFigures = { questions: number; ackMs: Distribution; answerStartMs: Distribution; handoffs: number; eventLoopDelayMs: Delay | null; serverCpuShare: number | null };

export type UpdateReport = {
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


export function printBuildReport(report: IngestReport): void {
  const { ingest, storage, coldLoad, search } = report;
  const lines = [
    `ingest: ${report.passages} passages in ${report.documents} documents (${report.syntheticDocuments} synthetic in the sample store's shape + the sample store), embedder ${report.embedder} (${report.dimensions}-d), hnswlib M=${report.shape.m} efConstruction=${report.shape.efConstruction}, ef ${report.ef}`,
    `  ingest        ${seconds(ingest.wallMs)} → ${ingest.passagesPerSecond.toFixed(0)} passages/s: publish ${seconds(ingest.publishMs)} (writer thread: split, embed, segment, one SQLite transaction), then search ready ${seconds(ingest.searchReadyMs)} (search worker: hnswlib build from the stored vectors, index saved)`,
    `    parts       split ≈ ${seconds(ingest.splitMs)}; embedding ≈ ${seconds(ingest.embedMs)} (${(report.passages / (ingest.embedMs / 1000)).toFixed(0)} passages/s, from a timed sample); hnswlib build ${ingest.indexBuildMs === null ? "not timed (--skip-build)" : `${seconds(ingest.indexBuildMs)} (standalone, same vectors, order and parameters)`}`,
    `    event loop  blocked up to ${ms(ingest.eventLoopDelayMs.max)} at once during publish and index build (p99 ${ms(ingest.eventLoopDelayMs.p99)}): the work runs in worker threads; idle just before, the same watch saw max ${ms(ingest.idleEventLoopDelayMs.max)}, p99 ${ms(ingest.idleEventLoopDelayMs.p99)}; machine ${cores(report.machine.ingestBusyCores)} of ${report.machine.cores} cores busy`,
    `    memory      RSS ${megabytesDelta(ingest.rssGrowthBytes)}, heap ${megabytesDelta(ingest.heapGrowthBytes)} over the ingest, peak RSS ${megabytes(ingest.peakRssBytes)}`,
    `  storage       index file ${megabytes(storage.indexFileBytes)}, knowledge.db ${megabytes(storage.databaseBytes)}`,
    `  cold load     index file alone ${ms(coldLoad.indexLoadMs)} (RSS ${megabytesDelta(coldLoad.indexRssBytes)}); passage reader open ${ms(coldLoad.knowledgeOpenMs)}${coldLoad.standaloneBuildRssBytes === null ? "" : `; built index RSS ≈ ${megabytesDelta(coldLoad.standaloneBuildRssBytes)}`}`,
    `  query embed   ${quantiles(search.queryEmbeddingMs, ["p50", "p99", "max"])}`,
    `  dense k=10    ${quantiles(search.denseK10Ms, ["p50", "p99", "max"])}    k=50 ${quantiles(search.denseK50Ms, ["p50", "p99", "max"])}`,
    `  recall@10     ${search.recallAt10.toFixed(4)} (tie-aware ${search.recallAt10TieAware.toFixed(4)}; ${search.queriesBelowFullRecall}/${search.queries} queries below 1) against brute force over the same stored vectors (exact search ${quantiles(search.exactSearchMs, ["p50", "p99"])})`,
    ...search.efSweep.map((row) => `  ef ${String(row.ef).padEnd(9)} dense k=10 ${quantiles(row.denseK10Ms, ["p50", "p99"])}  recall@10 ${row.recallAt10.toFixed(4)}`),
    `  hybrid        through the search worker ${quantiles(search.hybridWorkerMs, ["p50", "p99", "max"])}; in this thread (Retriever.retrieve) ${quantiles(search.hybridMs, ["p50", "p99", "max"])}, on a product page ${quantiles(search.hybridOnPageMs, ["p50", "p99"])}, store-wide ${quantiles(search.hybridStoreWideMs, ["p50", "p99"])}`,
    `    lexical     FTS5 bm25 alone: store-wide (50 candidates) ${quantiles(search.lexicalStoreWideMs, ["p50", "p99", "max"])}; page's product (20) ${quantiles(search.lexicalOnPageMs, ["p50", "p99", "max"])}`,
  ];
  console.log(lines.join("\n"));
}

export function printUpdateReport(update: UpdateReport): void {
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

export function printTargets(report: IngestReport): void {
  const { search, coldLoad, storage, update } = report;
  const at = report.passages >= 100_000 ? "" : ` [measured at ${report.passages} passages, targets are for 100k]`;
  const lines = [
    `  targets${at}`,
    `    hybrid retrieval p99 ≤ ${TARGETS.retrievalP99DesignMs} ms (through the search worker): ${verdict(search.hybridWorkerMs.p99, TARGETS.retrievalP99DesignMs)};  lexical p99 ≤ ${TARGETS.lexicalP99Ms} ms: store-wide ${verdict(search.lexicalStoreWideMs.p99, TARGETS.lexicalP99Ms)}, page's product ${verdict(search.lexicalOnPageMs.p99, TARGETS.lexicalP99Ms)};  dense recall@10 ≥ ${TARGETS.recall}: ${verdict(search.recallAt10, TARGETS.recall, "min")}`,
    `    publishing ${report.passages} passages blocks the event loop ≤ ${TARGETS.publishBlockMs} ms at once: ${verdict(report.ingest.eventLoopDelayMs.max, TARGETS.publishBlockMs)}`,
    `    T4 ANN p99 ≤ ${TARGETS.annP99Ms} ms: k=10 ${verdict(search.denseK10Ms.p99, TARGETS.annP99Ms)}, k=50 ${verdict(search.denseK50Ms.p99, TARGETS.annP99Ms)};  full retrieval p99 ≤ ${TARGETS.retrievalP99T4Ms} ms (T4) ${verdict(search.hybridWorkerMs.p99, TARGETS.retrievalP99T4Ms)}`,
    `    T4 cold load ≤ 5 s: ${verdict(coldLoad.knowledgeOpenMs, TARGETS.coldLoadMs)}${update ? `, after an update ${verdict(update.restartAfterUpdate.startMs, TARGETS.coldLoadMs)} (server ready)` : ""};  index memory ≤ 250 MB: file ${verdict(storage.indexFileBytes, TARGETS.indexBytes)}, RSS on load ${verdict(coldLoad.indexRssBytes, TARGETS.indexBytes)};  recall@10 tie-aware ${verdict(search.recallAt10TieAware, TARGETS.recall, "min")}`,
    ...(update
      ? [`    during the update: ack p99 ≤ ${TARGETS.ackP99Ms} ms ${verdict(update.during.ackMs.p99, TARGETS.ackP99Ms)}, event loop p99 ≤ ${TARGETS.eventLoopP99Ms} ms ${verdict(update.during.eventLoopDelayMs?.p99, TARGETS.eventLoopP99Ms)} (issue 9: heavy work off the event loop)`]
      : []),
    `  errors        ${report.errors}${report.errors > 0 ? ` ${JSON.stringify(report.errorKinds)}` : ""}${report.stoppedBy ? `  [STOPPED: ${report.stoppedBy}]` : ""}`,
  ];
  console.log(lines.join("\n"));
}
