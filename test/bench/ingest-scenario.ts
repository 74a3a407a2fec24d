import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../src/config.ts";
import { loadKnowledge } from "../../src/knowledge/load-knowledge.ts";
import { splitDocument } from "../../src/knowledge/split-passages.ts";
import { buildAndMeasure } from "./ingest-build.ts";
import { printBuildReport, printTargets, printUpdateReport } from "./ingest-report.ts";
import { updateWhileChatting } from "./ingest-update.ts";
import { readNumber, UsageError } from "./read-option.ts";
import type { BenchContext, OptionValues, Scenario } from "./scenario.ts";
import { generateCatalog, readSampleTemplates } from "./synthetic-catalog.ts";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The settings the bench reads from its environment and hands on to the server it starts. */
const INDEX_SETTINGS = ["HNSW_M", "HNSW_EF_CONSTRUCTION", "HNSW_EF"] as const;

/**
 * Ingestion and retrieval at scale. (a) In this process (ingest-build.ts): a synthetic catalog in
 * the sample store's shape (plus the sample store itself) is published into a fresh data folder
 * with the offline embedder the way the server does it, this event loop watched throughout, then
 * search is measured: cold load, dense latency and recall@10 against brute force, lexical and
 * hybrid retrieval. (b) The real server is started on that folder (ingest-update.ts); shoppers
 * chat at a steady rate while an admin publishes 1% of the documents changed. The index shape
 * comes from HNSW_M, HNSW_EF_CONSTRUCTION and HNSW_EF in the environment, as for the server.
 */
export const ingestScenario: Scenario = {
  name: "ingest",
  summary: "ingest a large synthetic catalog (offline embedder): passages/s, event-loop blocking, index build/size/load, dense/lexical/hybrid p99 and recall@10, then a 1% update while shoppers chat",
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
  const fail = (kind: string, count = 1) => void (count > 0 && errors.set(kind, (errors.get(kind) ?? 0) + count));

  const root = await mkdtemp(join(tmpdir(), "kefu-bench-ingest-"));
  context.defer(() => rm(root, { recursive: true, force: true }));
  const dataDir = join(root, "data");
  const emptyKnowledge = join(root, "knowledge");
  await mkdir(emptyKnowledge, { recursive: true });
  const serverEnv: Record<string, string> = {};
  for (const name of INDEX_SETTINGS) if (process.env[name]) serverEnv[name] = process.env[name]!;
  const config = loadConfig(serverEnv);

  progress(`generating a catalog of about ${targetPassages} passages…`);
  const sampleDir = join(REPO_ROOT, "knowledge");
  const sample = (await loadKnowledge(sampleDir)).documents.map((document) => ({ ...document, source: "bench:sample" }));
  let samplePassages = 0;
  for (const document of sample) samplePassages += (await splitDocument(document)).length;
  const catalog = await generateCatalog(await readSampleTemplates(sampleDir), { targetPassages: Math.max(1, targetPassages - samplePassages) });
  const documents = [...sample, ...catalog.documents];

  const report = await buildAndMeasure({ dataDir, documents, catalog, config, queryCount, efValues, skipBuild: values["skip-build"] === true }, context, fail);
  report.targetPassages = targetPassages;
  printBuildReport(report);

  if (values["skip-update"] !== true && !signal.aborted) {
    try {
      report.update = await updateWhileChatting(
        {
          dataDir, emptyKnowledge, products: catalog.products, totalDocuments: documents.length, updateShare, shopperCount, rate, baselineMs, afterMs, updateTimeoutMs, serverEnv,
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
