import { availableParallelism, loadavg } from "node:os";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { questionFor } from "./chat-questions.ts";
import { writtenAt, type StreamTiming } from "./fake-llm-timing.ts";
import { seconds } from "./format.ts";
import { startScriptedModel, VERDICT_LINE } from "./llm-fake-model.ts";
import { summarize } from "./percentiles.ts";
import { printLlmReport, type LlmReport } from "./print-llm-report.ts";
import { busyCores, sampleMachineCpu } from "./read-machine-cpu.ts";
import { readChoice, readNumber, readStrings, UsageError } from "./read-option.ts";
import type { BenchContext, OptionValues, Scenario } from "./scenario.ts";
import { startServerProcess } from "./start-server-process.ts";
import { TimedShopper } from "./timed-shopper.ts";
import { phaseFigures, readTurnPhases } from "./turn-phases.ts";

const ACK_TIMEOUT_MS = 30_000;
/** Targets: DESIGN.md (server overhead p99 ≤ 50 ms over the model's TTFT) and anchors T3 (≤ 200 ms at 50 in flight; relay ≤ 5 ms p99 per token). */
const TARGET_OVERHEAD_DESIGN_MS = 50;
const TARGET_OVERHEAD_T3_MS = 200;
const TARGET_RELAY_PER_TOKEN_MS = 5;
const LOG_LINES_SHOWN = 5;

/**
 * Question to first token with an OpenAI-compatible fake model (test/support/fake-llm-server.ts)
 * in this process that streams a grounded answer at a set first-token time and per-chunk delay.
 * The server process talks to it over loopback; shoppers ask with a fixed number in flight. Each
 * question carries a tag ("(ref qN)") the fake reads from the prompt, so every fake stream is
 * matched with the question it answers and its chunk write times (fake-llm-timing.ts) are
 * compared with the moments the shopper saw the deltas.
 */
export const llmScenario: Scenario = {
  name: "llm",
  summary: "question → first token with a fake streaming LLM: server overhead over the model's TTFT, relay per token, answers/s",
  options: {
    concurrency: { type: "string", value: "<n>", default: "50", description: "questions in flight (one shopper socket each)" },
    questions: { type: "string", value: "<n>", default: "200", description: "questions in all" },
    ttft: { type: "string", value: "<ms>", default: "300", description: "the fake model's time to first token" },
    tpot: { type: "string", value: "<ms>", default: "30", description: "the fake model's delay between two chunks" },
    "chunk-size": { type: "string", value: "<chars>", default: "4", description: "characters per streamed chunk (≈ one token)" },
    "answer-chunks": { type: "string", value: "<n>", default: "60", description: "chunks of the answer after the verdict line (≈ tokens)" },
    "api-key-length": {
      type: "string", value: "<chars>", default: "51",
      description: "length of LLM_API_KEY given to the server (51 = a classic sk-… key; the server holds back that many characters minus one to redact it; 0 = unset)",
    },
    start: {
      type: "string", value: "staggered|burst", default: "staggered",
      description: "staggered: shopper i asks its first question i/N of one answer's duration after the first, so questions arrive evenly; burst: all at once",
    },
    "server-env": { type: "string", multiple: true, value: "KEY=VALUE", description: "extra environment for the server, repeatable" },
    "server-cpu-prof": { type: "string", value: "<dir>", description: "write a V8 CPU profile of the server into this folder (node --cpu-prof)" },
    timeout: { type: "string", value: "<s>", default: "300", description: "stop, report and fail after this many seconds" },
  },
  run: runLlm,
};

type Tally = (kind: string, count?: number) => void;
type QuestionSample = {
  sentAt: number;
  ackAt: number;
  startAt: number;
  firstDeltaAt: number | null;
  endAt: number;
  deltas: { at: number; chars: number }[];
  timing: StreamTiming | null;
};

async function runLlm(values: OptionValues, context: BenchContext): Promise<number> {
  const concurrency = readNumber(values, "concurrency", { min: 1, integer: true })!;
  const questionCount = readNumber(values, "questions", { min: 1, integer: true })!;
  const ttftMs = readNumber(values, "ttft", { min: 0 })!;
  const tpotMs = readNumber(values, "tpot", { min: 0 })!;
  const chunkSize = readNumber(values, "chunk-size", { min: 1, integer: true })!;
  const answerChunks = readNumber(values, "answer-chunks", { min: 1, integer: true })!;
  const apiKeyLength = readNumber(values, "api-key-length", { min: 0, integer: true })!;
  const startMode = readChoice(values, "start", ["staggered", "burst"] as const) ?? "staggered";
  const profileDir = values["server-cpu-prof"];
  const nodeArgs = typeof profileDir === "string" ? ["--cpu-prof", `--cpu-prof-dir=${resolve(profileDir)}`] : [];
  const env: Record<string, string> = {};
  for (const pair of readStrings(values, "server-env")) {
    const at = pair.indexOf("=");
    if (at < 1) throw new UsageError(`--server-env takes KEY=VALUE, got ${JSON.stringify(pair)}`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const { signal, progress } = context;
  const errors = new Map<string, number>();
  const fail: Tally = (kind, count = 1) => void (count > 0 && errors.set(kind, (errors.get(kind) ?? 0) + count));

  // The fake model, in this process, with its chunk writes stamped.
  const { fake, byTag } = await startScriptedModel(context, { ttftMs, tpotMs, chunkSize, answerChunks }, fail);

  const apiKey = apiKeyLength > 0 ? `sk-${"bench0key1".repeat(Math.ceil(apiKeyLength / 10)).slice(0, Math.max(0, apiKeyLength - 3))}`.slice(0, apiKeyLength) : "";
  const effectiveKey = apiKey || "not-needed"; // what the server uses when LLM_API_KEY is unset
  progress("starting the server…");
  const server = await startServerProcess({
    env: { LLM_BASE_URL: fake.baseUrl, LLM_MODEL: "fake-bench", ...(apiKey ? { LLM_API_KEY: apiKey } : {}), ...env },
    nodeArgs,
    signal,
  });
  context.defer(() => server.stop());
  progress(`server pid ${server.pid} ready in ${seconds(server.startupMs)} at ${server.url} (${server.passages ?? "?"} passages), fake model at ${fake.baseUrl}`);

  const shoppers = Array.from({ length: concurrency }, () => new TimedShopper(server.url, { recordDeltas: true }));
  context.defer(() => shoppers.forEach((shopper) => shopper.close()));
  await Promise.all(
    shoppers.map(async (shopper, index) => {
      await shopper.connect(signal);
      const started = await shopper.start({ locale: questionFor(index, 0).locale }, ACK_TIMEOUT_MS, signal);
      if (!started.response.ok) throw new Error(`conversation-start refused: ${started.response.error.code}`);
    }),
  );
  // The first question after a start meets code no one has run yet (the model client's first request
  // among it): asked alone before the measured load, its overhead is reported apart from the figures.
  progress("asking the first question alone (the cold start, reported apart)…");
  const firstQuestion = await (async () => {
    const first = shoppers[0]!;
    const { response, sentAt } = await first.send(`${questionFor(0, 0).text} (ref q${questionCount})`, ACK_TIMEOUT_MS, signal);
    if (!response.ok) throw new Error(`the first question was refused: ${response.error.code}`);
    const outcome = await first.outcomeOf(response.data.seq, signal);
    const restarted = await first.start({ locale: questionFor(0, 0).locale }, ACK_TIMEOUT_MS, signal);
    if (!restarted.response.ok) throw new Error(`conversation-start refused: ${restarted.response.error.code}`);
    return { overheadMs: outcome.kind === "answer" && outcome.firstDeltaAt !== null ? outcome.firstDeltaAt - sentAt - ttftMs : null };
  })();
  progress(`${concurrency} shoppers in conversation; asking ${questionCount} questions, ${concurrency} in flight, fake TTFT ${ttftMs} ms, ${tpotMs} ms per ${chunkSize}-character chunk…`);

  const generatorDelay = monitorEventLoopDelay({ resolution: 5 });
  generatorDelay.enable();
  server.resetProbe();
  const phasesBefore = await readTurnPhases(server.url);
  const cpuBefore = process.cpuUsage();
  const machineBefore = sampleMachineCpu();
  const began = performance.now();
  const samples: QuestionSample[] = [];
  const handoffReasons = new Map<string, number>();
  let handoffs = 0;
  let next = 0;
  // One answer's duration at the fake's pace, without any server overhead.
  const cycleMs = ttftMs + (Math.ceil([...VERDICT_LINE].length / chunkSize) + answerChunks) * tpotMs;
  await Promise.all(
    shoppers.map(async (shopper, index) => {
      if (startMode === "staggered" && index > 0) await sleep((index * cycleMs) / concurrency, undefined, { signal }).catch(() => undefined);
      for (let asked = 0; next < questionCount; asked += 1) {
        const tag = next++;
        try {
          signal.throwIfAborted();
          const text = `${questionFor(index, asked).text} (ref q${tag})`;
          const { response, sentAt, ackAt } = await shopper.send(text, Math.min(ACK_TIMEOUT_MS, timeLeft(context)), signal);
          if (!response.ok) {
            fail(`nack:${response.error.code}`);
            continue;
          }
          const outcome = await shopper.outcomeOf(response.data.seq, signal);
          if (outcome.kind === "answer") {
            if (outcome.status !== "complete") fail(`answer-${outcome.status}`);
            samples.push({ sentAt, ackAt, startAt: outcome.startAt, firstDeltaAt: outcome.firstDeltaAt, endAt: outcome.endAt, deltas: outcome.deltas ?? [], timing: byTag.get(tag) ?? null });
          } else {
            handoffs += 1;
            handoffReasons.set(outcome.reason ?? "none", (handoffReasons.get(outcome.reason ?? "none") ?? 0) + 1);
            const restarted = await shopper.start({ locale: questionFor(index, 0).locale }, ACK_TIMEOUT_MS, signal);
            if (!restarted.response.ok) throw new Error(`restart refused: ${restarted.response.error.code}`);
          }
        } catch (error) {
          if (signal.aborted) {
            fail("unfinished");
            return;
          }
          fail((error as Error).message.startsWith("disconnected") ? "disconnected" : "unknown");
          if (!shopper.socket.connected) return;
        }
      }
    }),
  );
  const durationMs = performance.now() - began;
  const cpu = process.cpuUsage(cpuBefore);
  const machineAfter = sampleMachineCpu();
  generatorDelay.disable();
  const serverPhases = phaseFigures(phasesBefore, await readTurnPhases(server.url).catch(() => new Map()));
  const probe = await server.probe(signal.aborted ? 2_000 : 10_000);
  const memory = server.memory();
  for (const shopper of shoppers) shopper.close();
  fail("server-log-error", server.logs.errors);

  // Per-question figures from the shopper's arrivals and the fake's writes.
  const verdictChars = [...VERDICT_LINE].length;
  const qtft: number[] = [];
  const overConfigured: number[] = [];
  const overActual: number[] = [];
  const beforeModel: number[] = [];
  const modelTtft: number[] = [];
  const verdictLine: number[] = [];
  const relayFirst: number[] = [];
  const relayOldest: number[] = [];
  const relayNewest: number[] = [];
  const endRelay: number[] = [];
  const acks: number[] = [];
  const ends: number[] = [];
  let deltaCount = 0;
  let deltaChars = 0;
  for (const sample of samples) {
    acks.push(sample.ackAt - sample.sentAt);
    ends.push(sample.endAt - sample.sentAt);
    if (sample.firstDeltaAt === null) {
      fail("answer-without-delta");
      continue;
    }
    const firstToken = sample.firstDeltaAt - sample.sentAt;
    qtft.push(firstToken);
    overConfigured.push(firstToken - ttftMs);
    const timing = sample.timing;
    if (!timing) {
      fail("answer-without-fake-timing");
      continue;
    }
    const firstChunkAt = writtenAt(timing, 0);
    const answerBeginsAt = writtenAt(timing, verdictChars);
    const lastWriteAt = timing.writes.at(-1)?.at ?? null;
    if (firstChunkAt === null || answerBeginsAt === null || lastWriteAt === null) {
      fail("fake-stream-incomplete");
      continue;
    }
    overActual.push(timing.requestAt - sample.sentAt + (sample.firstDeltaAt - firstChunkAt));
    beforeModel.push(timing.requestAt - sample.sentAt);
    modelTtft.push(firstChunkAt - timing.requestAt);
    verdictLine.push(answerBeginsAt - firstChunkAt);
    relayFirst.push(sample.firstDeltaAt - answerBeginsAt);
    endRelay.push(sample.endAt - lastWriteAt);
    let shown = 0;
    sample.deltas.forEach((delta, position) => {
      deltaCount += 1;
      deltaChars += delta.chars;
      const oldest = writtenAt(timing, verdictChars + shown);
      const newest = writtenAt(timing, verdictChars + shown + delta.chars - 1);
      shown += delta.chars;
      if (position === 0 || oldest === null || newest === null) return;
      relayOldest.push(delta.at - oldest);
      relayNewest.push(delta.at - newest);
    });
  }

  const cpuCores = availableParallelism();
  const generatorShare = (cpu.user + cpu.system) / 1000 / durationMs;
  const serverShare = probe ? (probe.cpuMicros.user + probe.cpuMicros.system) / 1000 / probe.elapsedMs : null;
  const machineCores = busyCores(machineBefore, machineAfter, cpuCores);
  const errorCount = [...errors.values()].reduce((sum, count) => sum + count, 0);
  const report: LlmReport = {
    scenario: "llm",
    concurrency,
    start: startMode,
    questions: questionCount,
    answered: samples.length,
    handoffs,
    handoffReasons: Object.fromEntries(handoffReasons),
    fake: {
      ttftMs, tpotMs, chunkSize, answerChunks, verdictLineChunks: Math.ceil(verdictChars / chunkSize), apiKeyLength: effectiveKey.length,
      redactionHoldbackChars: effectiveKey.length >= 8 ? effectiveKey.length - 1 : 0,
    },
    passages: server.passages,
    durationMs,
    answersPerSecond: samples.length / (durationMs / 1000),
    ackMs: summarize(acks),
    questionToFirstTokenMs: summarize(qtft),
    firstQuestion,
    overheadOverConfiguredTtftMs: summarize(overConfigured),
    overheadOverActualTtftMs: summarize(overActual),
    parts: { beforeModelMs: summarize(beforeModel), modelTtftMs: summarize(modelTtft), verdictLineMs: summarize(verdictLine), relayFirstMs: summarize(relayFirst) },
    serverPhases,
    relayPerDeltaOldestCharMs: summarize(relayOldest),
    relayPerDeltaNewestCharMs: summarize(relayNewest),
    endRelayMs: summarize(endRelay),
    charactersPerDelta: deltaCount > 0 ? deltaChars / deltaCount : null,
    answerEndMs: summarize(ends),
    errors: errorCount,
    errorKinds: Object.fromEntries(errors),
    stoppedBy: signal.aborted ? String((signal.reason as Error | undefined)?.message ?? signal.reason) : null,
    server: {
      rssBytes: memory?.rssBytes ?? probe?.memory.rss ?? null,
      heapUsedAfterGcBytes: probe?.heapUsedAfterGc ?? null,
      cpuShareOfOneCore: serverShare,
      eventLoopDelayMs: probe?.eventLoopDelayMs ?? null,
      logWarnings: server.logs.warnings,
      logErrors: server.logs.errors,
    },
    generator: {
      cpuMs: generatorShare * durationMs,
      shareOfOneCore: generatorShare,
      shareOfAllCores: generatorShare / cpuCores,
      eventLoopDelayMs: { p50: generatorDelay.percentile(50) / 1e6, p99: generatorDelay.percentile(99) / 1e6, max: generatorDelay.max / 1e6 },
    },
    machine: {
      cores: cpuCores,
      busyCores: machineCores,
      otherProcessesCores: machineCores === null || serverShare === null ? null : Math.max(0, machineCores - serverShare - generatorShare),
      loadAverage1m: loadavg()[0]!,
    },
    targets: { overheadP99DesignMs: TARGET_OVERHEAD_DESIGN_MS, overheadP99T3Ms: TARGET_OVERHEAD_T3_MS, relayPerTokenP99Ms: TARGET_RELAY_PER_TOKEN_MS },
  };
  printLlmReport(report);
  if (server.logs.errors > 0 || server.logs.warnings > 0) {
    const tail = server.logs.tail.slice(-LOG_LINES_SHOWN).map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line));
    console.log(`server log (${server.logs.warnings} warnings, ${server.logs.errors} errors), last lines:\n  ${tail.join("\n  ")}`);
  }
  console.log(JSON.stringify(report));
  return errorCount > 0 ? 1 : 0;
}

function timeLeft(context: BenchContext): number {
  return Math.max(1, Math.round(context.deadline - performance.now()));
}
