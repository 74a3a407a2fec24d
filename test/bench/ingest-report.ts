import { cores, megabytes, megabytesDelta, ms, percent, quantiles, seconds, verdict } from "./format.ts";
import type { Distribution } from "./percentiles.ts";
import type { Stall } from "./server-probe.ts";

/** Targets: DESIGN.md and issue 9 (retrieval at 100k, publishing off the event loop), anchors T2, T4, T5. */
export const TARGETS = {
  annP99Ms: 5, retrievalP99DesignMs: 20, lexicalP99Ms: 10, retrievalP99T4Ms: 50, coldLoadMs: 5_000, indexBytes: 250 * 1024 * 1024, recall: 0.95,
  ackP99Ms: 25, eventLoopP99Ms: 20, publishBlockMs: 50,
};
/** Server stalls at least this long are listed one by one. */
const STALL_SHOWN_MS = 25;
const STALLS_SHOWN = 20;

export type Tally = (kind: string, count?: number) => void;
export type Delay = { p50: number; p99: number; max: number };
/** One stretch of the server's event loop running late: when it ended (ms after the phase's publish), how long, and the main thread's time running and waiting for a CPU meanwhile. */
export type StallRow = { atMs: number; ms: number; runningMs: number | null; waitingForCpuMs: number | null; gcMs: number; majorGcMs: number };

export function stallRows(stalls: readonly Stall[], epoch: number): StallRow[] {
  return stalls.map((stall) => ({ atMs: stall.endedAt - epoch, ms: stall.ms, runningMs: stall.runningMs, waitingForCpuMs: stall.waitingForCpuMs, gcMs: stall.gcMs, majorGcMs: stall.majorGcMs }));
}

export type PhaseFigures = { questions: number; ackMs: Distribution; answerStartMs: Distribution; handoffs: number; eventLoopDelayMs: Delay | null; serverCpuShare: number | null };

/** Part (a): the generated catalog published by the server from its watched knowledge folder while shoppers chat. */
export type PublishReport = {
  file: { name: string; bytes: number; products: number };
  passages: number | null;
  knowledgeVersion: number | null;
  /** From the file's arrival (its rename into the folder): the writer thread's publish logged, FAQ drafts from the catalog logged (null: none drafted). */
  publishedMs: number | null;
  faqDraftedMs: number | null;
  /** The first answer citing a generated product, and when its question was sent. */
  answerableMs: number | null;
  answerableQuestionSentMs: number | null;
  passagesPerSecond: number | null;
  probes: number;
  answeredBefore: boolean | null;
  before: PhaseFigures;
  during: PhaseFigures & { windowMs: number };
  after: PhaseFigures;
  /** The server's longest event-loop block from the file's arrival to the end of "after": the issue-9 figure. */
  longestBlockMs: number;
  /** Of the stalls in that stretch, the most time the main thread spent running (the rest of a stall is waiting for a CPU the machine's other processes had). */
  longestRunningMs: number;
  stalls: StallRow[];
  baselineStalls: StallRow[];
  serverRssBytes: number | null;
};

export type UpdateReport = {
  changedDocuments: number;
  changedShare: number;
  publish: { status: number; responseMs: number | null; version: number | null; updated: number | null; passages: number | null };
  answerable: { afterMs: number | null; questionSentAfterMs: number | null; probes: number; answeredBeforeUpdate: boolean | null };
  before: PhaseFigures;
  during: PhaseFigures & { windowMs: number };
  after: PhaseFigures;
  stalls: StallRow[];
  serverRssAfterUpdateBytes: number | null;
  serverHeapAfterGcBytes: number | null;
};

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
  /** The server, started on a fresh data folder whose knowledge folder holds the sample store; its shoppers. */
  server: { startMs: number; passages: number | null; rssAfterStartBytes: number | null; shoppers: number; rate: number; logWarnings: number; logErrors: number };
  publish: PublishReport | null;
  /** Part (b), once per live update. */
  updates: UpdateReport[];
  /** Over every update's window together: the acks as one distribution, and the highest of the windows' event-loop p99s. */
  updatesPooled: { ackMs: Distribution; eventLoopP99Ms: number } | null;
  /** Estimates from samples timed in the bench before the server started (the publish runs in the server's writer thread). */
  parts: { splitMsPerDocument: number; embedMsPerPassage: number };
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
    /** hnswlib alone: the stored vectors added in order to an index with the same parameters (null with --skip-build). */
    indexBuildMs: number | null;
    hybridMs: Distribution;
    hybridOnPageMs: Distribution;
    hybridStoreWideMs: Distribution;
    /** The serving path: WorkerPassageIndex.retrieve, one search worker, queries one after another (embedding and the thread hop included). */
    hybridWorkerMs: Distribution;
    /** The lexical part alone (KnowledgeBase.searchLexical, FTS5 bm25, the Retriever's candidate count): store-wide, and limited to the page's product. */
    lexicalStoreWideMs: Distribution;
    lexicalOnPageMs: Distribution;
  } | null;
  /** The server started again on the folder after both publishes: time to ready, and whether it loaded the saved index or rebuilt it. */
  restart: { startMs: number; index: "loaded" | "rebuilt" | "?"; rssBytes: number | null } | null;
  generator: { shareOfOneCore: number } | null;
  errors: number;
  errorKinds: Record<string, number>;
  stoppedBy: string | null;
  machine: { cores: number; busyCores: number | null; loadAverage1m: number };
};

const row = (name: string, figures: PhaseFigures) =>
  `    ${name.padEnd(7)} ${String(figures.questions).padStart(5)} questions  ack ${quantiles(figures.ackMs, ["p50", "p99", "max"])}  answer-start ${quantiles(figures.answerStartMs, ["p50", "p99"])}  hand-offs ${figures.handoffs}  event loop p99 ${ms(figures.eventLoopDelayMs?.p99)} max ${ms(figures.eventLoopDelayMs?.max)}  server CPU ${percent(figures.serverCpuShare)}`;

/** The server's stalls over the listed length, by time after the publish, those in which its main thread ran longest first. */
function stallLines(title: string, stalls: readonly StallRow[]): string[] {
  const long = stalls.filter((stall) => stall.ms >= STALL_SHOWN_MS).sort((a, b) => (b.runningMs ?? b.ms) - (a.runningMs ?? a.ms));
  const shown = long.slice(0, STALLS_SHOWN).map((stall) => `+${seconds(stall.atMs)} ${ms(stall.ms)} (main thread ran ${ms(stall.runningMs)}, of it garbage collection ${ms(stall.gcMs)}, full ${ms(stall.majorGcMs)}; waited for a CPU ${ms(stall.waitingForCpuMs)})`);
  return [`  ${title} ${long.length} stretches ≥ ${STALL_SHOWN_MS} ms between the probe's 10 ms ticks${long.length > 0 ? ":" : ""}`, ...shown.map((line) => `      ${line}`), ...(long.length > STALLS_SHOWN ? [`      … ${long.length - STALLS_SHOWN} more`] : [])];
}

export function printPublishReport(report: IngestReport): void {
  const { server, publish } = report;
  const lines = [
    `server: started on a fresh data folder (knowledge folder: the sample store, watched) in ${seconds(server.startMs)}, ${server.passages ?? "?"} passages, RSS ${megabytes(server.rssAfterStartBytes)}; ${server.shoppers} shoppers at ${server.rate} msg/s throughout`,
  ];
  if (publish) {
    lines.push(
      `publish (a): ${publish.file.products} generated products (${megabytes(publish.file.bytes)} of catalog JSON Lines) appear in the knowledge folder; the server's watcher reads and publishes them`,
      `  times       writer thread published after ${seconds(publish.publishedMs)}, first answer citing a generated product ${seconds(publish.answerableMs)} (its question sent at +${seconds(publish.answerableQuestionSentMs)}; ${publish.probes} probes; before: ${publish.answeredBefore === null ? "?" : publish.answeredBefore ? "ALREADY answerable (probe broken)" : "not answerable"})${publish.faqDraftedMs === null ? "" : `; FAQ drafted from the catalog after ${seconds(publish.faqDraftedMs)}`}`,
      `  result      ${publish.passages ?? "?"} passages (version ${publish.knowledgeVersion ?? "?"}), ${publish.passagesPerSecond === null ? "?" : publish.passagesPerSecond.toFixed(0)} passages/s from the file's arrival to the first citing answer; server RSS ${megabytes(publish.serverRssBytes)}`,
      `  chat (by send time)`,
      row("before", publish.before),
      `${row("during", publish.during)}  [${seconds(publish.during.windowMs)} window]`,
      row("after", publish.after),
          `  server loop longest block from the file's arrival to the end of "after": ${ms(publish.longestBlockMs)}; the most its main thread ran within one stall: ${ms(publish.longestRunningMs)}`,
      ...stallLines("stalls, publish window:", publish.stalls),
      ...stallLines("stalls, baseline (times before the publish):", publish.baselineStalls),
    );
  }
  console.log(lines.join("\n"));
}

export function printUpdateReport(update: UpdateReport, round: number, rounds: number): void {
  const lines = [
    `update (b) ${round + 1} of ${rounds}: the same server and shoppers; an admin publishes changed documents through the admin API`,
    `  publish       ${update.changedDocuments} documents changed (${(update.changedShare * 100).toFixed(2)}%): HTTP ${update.publish.status} after ${seconds(update.publish.responseMs)} (version ${update.publish.version ?? "?"}, ${update.publish.updated ?? "?"} updated, ${update.publish.passages ?? "?"} passages)`,
    `  answerable    ${seconds(update.answerable.afterMs)} after the publish request (first citing answer; its question was sent at +${seconds(update.answerable.questionSentAfterMs)}; ${update.answerable.probes} probes, one every 200 ms; before the update it was ${update.answerable.answeredBeforeUpdate === null ? "?" : update.answerable.answeredBeforeUpdate ? "ALREADY answerable (probe broken)" : "not answerable"})`,
    `  chat (by send time)`,
    row("before", update.before),
    `${row("during", update.during)}  [${seconds(update.during.windowMs)} window]`,
    row("after", update.after),
    ...stallLines("stalls, update window:", update.stalls),
    `  server        RSS ${megabytes(update.serverRssAfterUpdateBytes)} after the update, heap ${megabytes(update.serverHeapAfterGcBytes)} after GC`,
  ];
  console.log(lines.join("\n"));
}

const percentOf = (share: number) => `${Number((share * 100).toFixed(2))}%`;

export function printSearchReport(report: IngestReport): void {
  const { storage, coldLoad, search, restart } = report;
  if (!search) return;
  const lines = [
    `search on the server's data folder: ${report.passages} passages in ${report.documents} documents (${report.syntheticDocuments} synthetic in the sample store's shape + the sample store), embedder ${report.embedder} (${report.dimensions}-d), hnswlib M=${report.shape.m} efConstruction=${report.shape.efConstruction}, ef ${report.ef}`,
    `  parts         split ≈ ${ms(report.parts.splitMsPerDocument * report.documents)}, embedding ≈ ${ms(report.parts.embedMsPerPassage * report.passages)} (timed on a sample); hnswlib build ${search.indexBuildMs === null ? "not timed (--skip-build)" : `${seconds(search.indexBuildMs)} (standalone, same vectors, order and parameters)`}`,
    `  storage       index file ${megabytes(storage.indexFileBytes)}, knowledge.db ${megabytes(storage.databaseBytes)}`,
    `  cold load     index file alone ${ms(coldLoad.indexLoadMs)} (RSS ${megabytesDelta(coldLoad.indexRssBytes)}); passage reader open ${ms(coldLoad.knowledgeOpenMs)}${coldLoad.standaloneBuildRssBytes === null ? "" : `; built index RSS ≈ ${megabytesDelta(coldLoad.standaloneBuildRssBytes)}`}`,
    `  query embed   ${quantiles(search.queryEmbeddingMs, ["p50", "p99", "max"])}`,
    `  dense k=10    ${quantiles(search.denseK10Ms, ["p50", "p99", "max"])}    k=50 ${quantiles(search.denseK50Ms, ["p50", "p99", "max"])}`,
    `  recall@10     ${search.recallAt10.toFixed(4)} (tie-aware ${search.recallAt10TieAware.toFixed(4)}; ${search.queriesBelowFullRecall}/${search.queries} queries below 1) against brute force over the same stored vectors (exact search ${quantiles(search.exactSearchMs, ["p50", "p99"])})`,
    ...search.efSweep.map((sweep) => `  ef ${String(sweep.ef).padEnd(9)} dense k=10 ${quantiles(sweep.denseK10Ms, ["p50", "p99"])}  recall@10 ${sweep.recallAt10.toFixed(4)}`),
    `  hybrid        through the search worker ${quantiles(search.hybridWorkerMs, ["p50", "p99", "max"])}; in this thread (Retriever.retrieve) ${quantiles(search.hybridMs, ["p50", "p99", "max"])}, on a product page ${quantiles(search.hybridOnPageMs, ["p50", "p99"])}, store-wide ${quantiles(search.hybridStoreWideMs, ["p50", "p99"])}`,
    `    lexical     FTS5 bm25 alone: store-wide (50 candidates) ${quantiles(search.lexicalStoreWideMs, ["p50", "p99", "max"])}; page's product (20) ${quantiles(search.lexicalOnPageMs, ["p50", "p99", "max"])}`,
    ...(restart ? [`  restart       the server again on this folder: ready after ${seconds(restart.startMs)}, vector index ${restart.index}, RSS ${megabytes(restart.rssBytes)}`] : []),
    `  generator     ${percent(report.generator?.shareOfOneCore ?? null)} of one core while chatting; machine ${cores(report.machine.busyCores)} of ${report.machine.cores} cores busy, load average ${report.machine.loadAverage1m.toFixed(2)}; server log ${report.server.logWarnings} warnings, ${report.server.logErrors} errors`,
  ];
  console.log(lines.join("\n"));
}

export function printTargets(report: IngestReport): void {
  const { search, coldLoad, storage, updates, updatesPooled: pooled, publish, restart } = report;
  const at = report.passages >= 100_000 ? "" : ` [measured at ${report.passages} passages, targets are for 100k]`;
  const lines = [
    `  targets${at}`,
    ...(publish
      ? [`    publishing ${publish.passages ?? "?"} passages blocks the server's event loop ≤ ${TARGETS.publishBlockMs} ms at once: longest ${ms(publish.longestBlockMs)} ${verdict(publish.longestBlockMs, TARGETS.publishBlockMs)} (its main thread running ${ms(publish.longestRunningMs)} ${verdict(publish.longestRunningMs, TARGETS.publishBlockMs)}); during it ack p99 ≤ ${TARGETS.ackP99Ms} ms ${ms(publish.during.ackMs.p99)} ${verdict(publish.during.ackMs.p99, TARGETS.ackP99Ms)}, loop p99 ≤ ${TARGETS.eventLoopP99Ms} ms ${ms(publish.during.eventLoopDelayMs?.p99)} ${verdict(publish.during.eventLoopDelayMs?.p99, TARGETS.eventLoopP99Ms)}`]
      : []),
    ...(pooled
      ? [
          `    during the ${percentOf(updates[0]!.changedShare)} updates (${updates.length}, their ${pooled.ackMs.count} acks together): ack p99 ≤ ${TARGETS.ackP99Ms} ms ${ms(pooled.ackMs.p99)} ${verdict(pooled.ackMs.p99, TARGETS.ackP99Ms)} (each alone: ${updates.map((update) => ms(update.during.ackMs.p99)).join(" / ")}), event loop p99 ≤ ${TARGETS.eventLoopP99Ms} ms, the highest window's ${ms(pooled.eventLoopP99Ms)} ${verdict(pooled.eventLoopP99Ms, TARGETS.eventLoopP99Ms)} (issue 9: heavy work off the event loop)`,
        ]
      : []),
    ...(search
      ? [
          `    hybrid retrieval p99 ≤ ${TARGETS.retrievalP99DesignMs} ms (through the search worker): ${verdict(search.hybridWorkerMs.p99, TARGETS.retrievalP99DesignMs)};  lexical p99 ≤ ${TARGETS.lexicalP99Ms} ms: store-wide ${verdict(search.lexicalStoreWideMs.p99, TARGETS.lexicalP99Ms)}, page's product ${verdict(search.lexicalOnPageMs.p99, TARGETS.lexicalP99Ms)};  dense recall@10 ≥ ${TARGETS.recall}: ${verdict(search.recallAt10, TARGETS.recall, "min")}`,
          `    T4 ANN p99 ≤ ${TARGETS.annP99Ms} ms: k=10 ${verdict(search.denseK10Ms.p99, TARGETS.annP99Ms)}, k=50 ${verdict(search.denseK50Ms.p99, TARGETS.annP99Ms)};  full retrieval p99 ≤ ${TARGETS.retrievalP99T4Ms} ms (T4) ${verdict(search.hybridWorkerMs.p99, TARGETS.retrievalP99T4Ms)}`,
          `    T4 cold load ≤ 5 s: ${verdict(coldLoad.knowledgeOpenMs, TARGETS.coldLoadMs)}${restart ? `, server restart ${verdict(restart.startMs, TARGETS.coldLoadMs)} (server ready)` : ""};  index memory ≤ 250 MB: file ${verdict(storage.indexFileBytes, TARGETS.indexBytes)}, RSS on load ${verdict(coldLoad.indexRssBytes, TARGETS.indexBytes)};  recall@10 tie-aware ${verdict(search.recallAt10TieAware, TARGETS.recall, "min")}`,
        ]
      : []),
    `  errors        ${report.errors}${report.errors > 0 ? ` ${JSON.stringify(report.errorKinds)}` : ""}${report.stoppedBy ? `  [STOPPED: ${report.stoppedBy}]` : ""}`,
  ];
  console.log(lines.join("\n"));
}
