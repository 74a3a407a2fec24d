import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../src/config.ts";
import { loadKnowledge } from "../../src/knowledge/load-knowledge.ts";
import { indexedText, splitDocument } from "../../src/knowledge/split-passages.ts";
import { HashingEmbedder } from "../../src/retrieval/hashing-embedder.ts";
import { loginAdmin } from "./admin-client.ts";
import { megabytes, seconds } from "./format.ts";
import { ChatLoad, type Window } from "./ingest-chat.ts";
import { publishThroughFolder, stageCatalogFile, WATCHED_LOGS, type LogMark } from "./ingest-publish.ts";
import { printPublishReport, printSearchReport, printTargets, printUpdateReport, type IngestReport } from "./ingest-report.ts";
import { measureSearch } from "./ingest-search.ts";
import { updateWhileChatting } from "./ingest-update.ts";
import { readNumber, UsageError } from "./read-option.ts";
import { busyCores, sampleMachineCpu } from "./read-machine-cpu.ts";
import type { BenchContext, OptionValues, Scenario } from "./scenario.ts";
import { startServerProcess } from "./start-server-process.ts";
import { generateCatalog, readSampleTemplates } from "./synthetic-catalog.ts";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The settings the bench reads from its environment and hands on to the server it starts. */
const INDEX_SETTINGS = ["HNSW_M", "HNSW_EF_CONSTRUCTION", "HNSW_EF"] as const;
const ADMIN = { email: "bench-admin@kefu.test", password: "bench-admin-password" };
/** Documents split and embedded in the bench to estimate those parts of the ingest. */
const SAMPLE = 2_000;
const LOG_LINES_SHOWN = 5;

/**
 * Ingestion and retrieval at scale, on the real server. It starts on a fresh data folder whose
 * knowledge folder (watched, as by default) holds the sample store, and shoppers chat at a steady
 * rate throughout. (a) A synthetic catalog in the sample store's shape appears in that folder as
 * catalog JSON Lines: the server's watcher reads it, its writer thread publishes it with the
 * offline embedder and its search workers build the index, until a question about a generated
 * product is answered citing it; the server's own event loop is watched throughout (ingest-publish.ts).
 * (b) An admin then publishes 1% of the documents changed through the admin API (ingest-update.ts).
 * Once the server is stopped, search is measured on its data folder (ingest-search.ts): cold load,
 * dense latency and recall@10 against brute force, lexical and hybrid retrieval; then the server is
 * started again on it. The index shape comes from HNSW_M, HNSW_EF_CONSTRUCTION and HNSW_EF in the
 * environment, as for the server.
 */
export const ingestScenario: Scenario = {
  name: "ingest",
  summary: "the server ingests a large synthetic catalog from its watched knowledge folder while shoppers chat (its event loop watched), then live 1% updates through the admin API (--updates, their acks pooled); then index size/load, dense/lexical/hybrid p99 and recall@10 on its data folder",
  options: {
    passages: { type: "string", value: "<n>", default: "100000", description: "passages to ingest (the catalog grows until its documents split into about this many)" },
    "update-share": { type: "string", value: "<0..1>", default: "0.01", description: "share of the documents changed by each live update" },
    updates: { type: "string", value: "<n>", default: "1", description: "live updates one after another, each changing other documents; their acks are pooled for the ack p99 (search is then measured after all of them)" },
    shoppers: { type: "string", value: "<n>", default: "200", description: "shoppers chatting throughout" },
    rate: { type: "string", value: "<msgs/s>", default: "20", description: "aggregate pace of their questions" },
    queries: { type: "string", value: "<n>", default: "1000", description: "queries for search latency and recall" },
    baseline: { type: "string", value: "<s>", default: "15", description: "seconds of chat measured before each publish" },
    after: { type: "string", value: "<s>", default: "10", description: "seconds of chat measured once each publish is answerable" },
    "update-timeout": { type: "string", value: "<s>", default: "600", description: "give up waiting for a publish to be answerable after this" },
    "ef-sweep": { type: "string", value: "<ef,ef,…>", default: "64,256,512", description: "also measure dense k=10 latency and recall@10 at these ef values (the saved index loaded again with each); empty for none" },
    "skip-build": { type: "boolean", description: "skip the standalone index build that times the hnswlib part of the ingest" },
    "server-cpu-prof": { type: "string", value: "<dir>", description: "write a V8 CPU profile of the server into this folder (node --cpu-prof)" },
    "skip-update": { type: "boolean", description: "no 1% update after the catalog is published" },
    keep: { type: "boolean", description: "keep the run's folder (data and knowledge) and print where it is" },
    timeout: { type: "string", value: "<s>", default: "1800", description: "stop, report and fail after this many seconds" },
  },
  run: runIngest,
};

async function runIngest(values: OptionValues, context: BenchContext): Promise<number> {
  const targetPassages = readNumber(values, "passages", { min: 100, integer: true })!;
  const updateShare = readNumber(values, "update-share", { min: 0 })!;
  if (updateShare > 1) throw new UsageError("--update-share must be between 0 and 1");
  const updateCount = readNumber(values, "updates", { min: 1, integer: true })!;
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
  const fail = (kind: string, count = 1) => void (count > 0 && errors.set(kind, (errors.get(kind) ?? 0) + count));

  const root = await mkdtemp(join(tmpdir(), "kefu-bench-ingest-"));
  if (values.keep) context.defer(() => console.log(`kept: ${root}`));
  else context.defer(() => rm(root, { recursive: true, force: true }));
  const dataDir = join(root, "data");
  const knowledgeDir = join(root, "knowledge");
  await mkdir(knowledgeDir, { recursive: true });
  const indexEnv: Record<string, string> = {};
  for (const name of INDEX_SETTINGS) if (process.env[name]) indexEnv[name] = process.env[name]!;
  const config = loadConfig(indexEnv);

  progress(`generating a catalog of about ${targetPassages} passages…`);
  const sampleDir = join(REPO_ROOT, "knowledge");
  await cp(sampleDir, knowledgeDir, { recursive: true });
  const sample = (await loadKnowledge(sampleDir)).documents;
  let samplePassages = 0;
  for (const document of sample) samplePassages += (await splitDocument(document)).length;
  let catalog: Awaited<ReturnType<typeof generateCatalog>> | null = await generateCatalog(await readSampleTemplates(sampleDir), { targetPassages: Math.max(1, targetPassages - samplePassages) });
  const { products } = catalog;
  const documentCount = sample.length + catalog.documents.length;
  const parts = await estimateParts(catalog.documents.slice(0, SAMPLE));
  // The bench keeps the products (for the update and the queries), not their documents, while it times acks.
  catalog = null;
  const fileBytes = await stageCatalogFile(knowledgeDir, products);

  const report: IngestReport = {
    scenario: "ingest", targetPassages, passages: 0, documents: documentCount, syntheticDocuments: products.length,
    embedder: new HashingEmbedder().id, dimensions: new HashingEmbedder().dimensions, ef: config.retrieval.ef,
    shape: { m: config.retrieval.m, efConstruction: config.retrieval.efConstruction },
    server: { startMs: 0, passages: null, rssAfterStartBytes: null, shoppers: shopperCount, rate, logWarnings: 0, logErrors: 0 },
    publish: null, updates: [], updatesPooled: null, parts, storage: { indexFileBytes: 0, databaseBytes: 0 },
    coldLoad: { indexLoadMs: 0, indexRssBytes: 0, knowledgeOpenMs: 0, standaloneBuildRssBytes: null },
    search: null, restart: null, generator: null, errors: 0, errorKinds: {}, stoppedBy: null,
    machine: { cores: availableParallelism(), busyCores: null, loadAverage1m: loadavg()[0]! },
  };

  progress("starting the server on a fresh data folder, the sample store in its watched knowledge folder…");
  const logMarks: LogMark[] = [];
  const serverEnv = { ...indexEnv, DATA_DIR: dataDir, KNOWLEDGE_DIR: knowledgeDir, KNOWLEDGE_WATCH: "true", LOG_LEVEL: "info", ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
  const server = await startServerProcess({
    env: serverEnv,
    nodeArgs: typeof values["server-cpu-prof"] === "string" ? ["--cpu-prof", `--cpu-prof-dir=${resolve(values["server-cpu-prof"])}`] : [],
    signal,
    readyTimeoutMs: 300_000,
    reuse: { dataDir },
    onLog: (record) => {
      if (typeof record.msg === "string" && WATCHED_LOGS.has(record.msg) && typeof record.time === "number") logMarks.push({ msg: record.msg, time: record.time, record });
    },
  });
  context.defer(() => server.stop());
  report.server.startMs = server.startupMs;
  report.server.passages = server.passages;
  report.server.rssAfterStartBytes = server.memory()?.rssBytes ?? null;
  progress(`server pid ${server.pid} ready in ${seconds(server.startupMs)} (${server.passages ?? "?"} passages), RSS ${megabytes(report.server.rssAfterStartBytes)}; connecting ${shopperCount} shoppers…`);
  const adminToken = await loginAdmin(server.url, ADMIN, signal);
  const chat = new ChatLoad(server.url, shopperCount, signal, fail);
  context.defer(() => chat.close());
  const cpuBefore = process.cpuUsage();
  const machineBefore = sampleMachineCpu();
  const chatBegan = performance.now();
  try {
    await chat.start(rate);
    report.publish = await publishThroughFolder({ server, chat, knowledgeDir, products, fileBytes, logMarks, baselineMs, afterMs, timeoutMs: updateTimeoutMs }, context, fail);
    printPublishReport(report);
    if (values["skip-update"] !== true && !signal.aborted) {
      const windows: Window[] = [];
      for (let round = 0; round < updateCount && !signal.aborted; round += 1) {
        const { report: update, window } = await updateWhileChatting({ server, chat, adminToken, products, totalDocuments: documentCount, updateShare, baselineMs, afterMs, updateTimeoutMs, round }, context, fail);
        report.updates.push(update);
        windows.push(window);
        printUpdateReport(update, round, updateCount);
      }
      report.updatesPooled = { ackMs: chat.acksIn(windows), eventLoopP99Ms: Math.max(...report.updates.map((update) => update.during.eventLoopDelayMs?.p99 ?? Number.NaN)) };
    }
    await chat.stop();
    const cpu = process.cpuUsage(cpuBefore);
    report.generator = { shareOfOneCore: (cpu.user + cpu.system) / 1000 / (performance.now() - chatBegan) };
    report.machine.busyCores = busyCores(machineBefore, sampleMachineCpu(), availableParallelism());
    await server.end();
    report.server.logWarnings = server.logs.warnings;
    report.server.logErrors = server.logs.errors;
    fail("server-log-error", server.logs.errors);
    if (server.logs.errors > 0 || server.logs.warnings > 0) {
      const tail = server.logs.tail.filter((line) => !line.includes('"level":30')).slice(-LOG_LINES_SHOWN).map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line));
      console.log(`server log (${server.logs.warnings} warnings, ${server.logs.errors} errors), last lines:\n  ${tail.join("\n  ")}`);
    }

    progress("measuring search on the server's data folder…");
    const measured = await measureSearch({ dataDir, products, config, queryCount, efValues, skipBuild: values["skip-build"] === true }, context, fail);
    Object.assign(report, { passages: measured.passages, storage: measured.storage, coldLoad: measured.coldLoad, search: measured.search });

    progress("restarting the server on the same folders (cold start after both publishes)…");
    const restarted = await startServerProcess({ env: serverEnv, signal, readyTimeoutMs: 300_000, reuse: { dataDir } });
    const restartLog = restarted.logs.tail.join("\n");
    report.restart = {
      startMs: restarted.startupMs,
      index: restartLog.includes("vector index built") ? "rebuilt" : restartLog.includes("vector index loaded") ? "loaded" : "?",
      rssBytes: restarted.memory()?.rssBytes ?? null,
    };
    fail("restart-log-error", restarted.logs.errors);
    await restarted.end();
    printSearchReport(report);
  } catch (error) {
    if (!signal.aborted) throw error;
  }
  report.errors = [...errors.values()].reduce((sum, count) => sum + count, 0);
  report.errorKinds = Object.fromEntries(errors);
  report.stoppedBy = signal.aborted ? String((signal.reason as Error | undefined)?.message ?? signal.reason) : null;
  report.machine.loadAverage1m = loadavg()[0]!;
  printTargets(report);
  console.log(JSON.stringify(report));
  return report.errors > 0 || signal.aborted ? 1 : 0;
}

/** Split and embedding cost per document and per passage, from a sample timed here (the ingest itself runs in the server's writer thread). */
async function estimateParts(sample: Parameters<typeof splitDocument>[0][]): Promise<IngestReport["parts"]> {
  const embedder = new HashingEmbedder();
  let began = performance.now();
  const passages = (await Promise.all(sample.map((document) => splitDocument(document)))).flat();
  const splitMsPerDocument = (performance.now() - began) / Math.max(1, sample.length);
  began = performance.now();
  await embedder.embed(passages.map(indexedText));
  return { splitMsPerDocument, embedMsPerPassage: (performance.now() - began) / Math.max(1, passages.length) };
}
