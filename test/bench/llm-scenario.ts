import { availableParallelism, loadavg } from "node:os";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { FakeLlmServer, type RecordedRequest } from "../support/fake-llm-server.ts";
import { questionFor } from "./chat-questions.ts";
import { FakeLlmTimings, writtenAt, type StreamTiming } from "./fake-llm-timing.ts";
import { cores, megabytes, ms, percent, quantiles, seconds, verdict } from "./format.ts";
import { summarize, type Distribution } from "./percentiles.ts";
import { busyCores, sampleMachineCpu } from "./read-machine-cpu.ts";
import { readChoice, readNumber, readStrings, UsageError } from "./read-option.ts";
import type { BenchContext, OptionValues, Scenario } from "./scenario.ts";
import { startServerProcess } from "./start-server-process.ts";
import { TimedShopper } from "./timed-shopper.ts";
import { phaseFigures, readTurnPhases, type PhaseFigures } from "./turn-phases.ts";

const ACK_TIMEOUT_MS = 30_000;
/** The verdict every scripted reply starts with (prompts.ts: one letter on its own line); the server shows nothing before it. */
const VERDICT_LINE = "A\n";
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

export type LlmReport = {
  scenario: "llm";
  concurrency: number;
  start: "staggered" | "burst";
  questions: number;
  answered: number;
  handoffs: number;
  handoffReasons: Record<string, number>;
  fake: { ttftMs: number; tpotMs: number; chunkSize: number; answerChunks: number; verdictLineChunks: number; apiKeyLength: number; redactionHoldbackChars: number };
  passages: number | null;
  durationMs: number;
  answersPerSecond: number;
  ackMs: Distribution;
  /** Question emitted → first answer-delta received (what the shopper waits for). */
  questionToFirstTokenMs: Distribution;
  /** The first question after the server's start, asked alone before the measured ones: its overhead (null: handed off). */
  firstQuestion: { overheadMs: number | null };
  /** The same minus the configured TTFT: DESIGN's "server overhead". */
  overheadOverConfiguredTtftMs: Distribution;
  /** The same minus the TTFT the fake actually delivered (its first chunk write − the request's arrival). */
  overheadOverActualTtftMs: Distribution;
  /** Parts of the question → first token, from the fake's stamps. */
  parts: {
    /** Emit → the request reached the fake: ack, persistence, retrieval, prompt, HTTP. */
    beforeModelMs: Distribution;
    /** Request arrival → the fake's first chunk (configured TTFT plus this process's timer lateness). */
    modelTtftMs: Distribution;
    /** The fake's first chunk → its chunk that completes the verdict line: the model's time, held by the verdict gate. */
    verdictLineMs: Distribution;
    /** That chunk written → the shopper has the first delta: parsing, redaction hold-back, coalescing, persistence, socket. */
    relayFirstMs: Distribution;
  };
  /** The server's own timing of each bot turn before its first shown text (from /metrics; percentiles are bucket bounds). */
  serverPhases: PhaseFigures[];
  /** Per delta after the first: arrival − the write of the chunk holding the delta's first character (how long text waited in the server). */
  relayPerDeltaOldestCharMs: Distribution;
  /** Per delta after the first: arrival − the write of the chunk holding its last character (transit of the newest text). */
  relayPerDeltaNewestCharMs: Distribution;
  /** answer-end received − the fake's last chunk. */
  endRelayMs: Distribution;
  charactersPerDelta: number | null;
  answerEndMs: Distribution;
  errors: number;
  errorKinds: Record<string, number>;
  stoppedBy: string | null;
  server: { rssBytes: number | null; heapUsedAfterGcBytes: number | null; cpuShareOfOneCore: number | null; eventLoopDelayMs: { mean: number; p50: number; p99: number; max: number } | null; logWarnings: number; logErrors: number };
  generator: { cpuMs: number; shareOfOneCore: number; shareOfAllCores: number; eventLoopDelayMs: { p50: number; p99: number; max: number } };
  machine: { cores: number; busyCores: number | null; otherProcessesCores: number | null; loadAverage1m: number };
  targets: { overheadP99DesignMs: number; overheadP99T3Ms: number; relayPerTokenP99Ms: number };
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
  const timings = new FakeLlmTimings();
  context.defer(timings.install());
  const fake = await FakeLlmServer.start();
  context.defer(() => fake.close());
  const byTag = new Map<number, StreamTiming>();
  const replies = { en: answerText("en", chunkSize * answerChunks), zh: answerText("zh", chunkSize * answerChunks) };
  fake.respondWith((request: RecordedRequest) => {
    const prompt = request.body.messages?.map((message) => message.content).join("\n") ?? "";
    // The tag of the question being asked (earlier ones also appear, in the conversation block).
    const question = prompt.slice(prompt.lastIndexOf("<question>"));
    const tag = /\(ref q(\d+)\)/.exec(question)?.[1];
    const timing = timings.track(request.headers);
    if (tag !== undefined) byTag.set(Number(tag), timing);
    else fail("fake-request-untagged");
    const zh = prompt.includes("Simplified Chinese");
    return { reply: VERDICT_LINE + (zh ? replies.zh : replies.en), firstTokenMs: ttftMs, tokenMs: tpotMs, chunkSize };
  });

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

/** A grounded answer of exactly `length` characters that cites fact [1], in the question's language. */
function answerText(lang: "en" | "zh", length: number): string {
  const sentence = lang === "en"
    ? "According to our store information this is covered as described in the product details [1]. "
    : "根据店铺资料，这一点在商品详情里有明确说明[1]。";
  let text = "";
  while ([...text].length < length) text += sentence;
  return [...text].slice(0, length).join("");
}

function timeLeft(context: BenchContext): number {
  return Math.max(1, Math.round(context.deadline - performance.now()));
}

function printLlmReport(report: LlmReport): void {
  const { fake, parts, server, generator, machine, targets } = report;
  const overheadP99 = report.overheadOverConfiguredTtftMs.p99;
  const lines = [
    `llm: ${report.questions} questions, ${report.concurrency} in flight (${report.start} start); fake model TTFT ${fake.ttftMs} ms, ${fake.tpotMs} ms per ${fake.chunkSize}-character chunk, ${fake.answerChunks}-chunk answers; ${report.passages ?? "?"} passages${report.stoppedBy ? `  [STOPPED: ${report.stoppedBy}]` : ""}`,
    `  duration          ${seconds(report.durationMs)}: ${report.answered}/${report.questions} answered, ${report.handoffs} handed off${report.handoffs ? ` ${JSON.stringify(report.handoffReasons)}` : ""}, ${report.answersPerSecond.toFixed(1)} answers/s`,
    `  ack               ${quantiles(report.ackMs)}`,
    `  question → token  ${quantiles(report.questionToFirstTokenMs)}`,
    `  first question    overhead ${report.firstQuestion.overheadMs === null ? "— (handed off)" : ms(report.firstQuestion.overheadMs)}   (the first after the start, asked alone before the load; not in the figures here)`,
    `  overhead          ${quantiles(report.overheadOverConfiguredTtftMs)}   (question → first token − configured TTFT ${fake.ttftMs} ms)`,
    `  overhead, actual  ${quantiles(report.overheadOverActualTtftMs)}   (− the TTFT the fake really delivered)`,
    `    before model    ${quantiles(parts.beforeModelMs)}   (emit → request at the fake: ack, store, retrieval, prompt, HTTP)`,
    `    model TTFT      ${quantiles(parts.modelTtftMs)}   (request → the fake's first chunk)`,
    `    verdict line    ${quantiles(parts.verdictLineMs)}   (the model's first chunk → its chunk holding the first answer character, after the one-letter verdict "${VERDICT_LINE.trim()}" and its line break: ${fake.verdictLineChunks} chunk(s) at ${fake.chunkSize} characters per chunk)`,
    `    relay first     ${quantiles(parts.relayFirstMs)}   (that chunk written → first delta at the shopper; LLM_API_KEY of ${fake.apiKeyLength} chars → ${fake.redactionHoldbackChars} characters held back for redaction)`,
    `  server's parts    (each bot turn timed by the server up to its first shown text, kefu_bot_turn_phase_seconds; p50/p99 are histogram bucket bounds)`,
    ...report.serverPhases.map((figure) => `    ${figure.phase.padEnd(18)}mean ${ms(figure.meanMs)}  p50 ≤ ${ms(figure.p50AtMostMs)}  p99 ≤ ${ms(figure.p99AtMostMs)}  (n=${figure.count})`),
    `  relay per delta   oldest char ${quantiles(report.relayPerDeltaOldestCharMs, ["p50", "p99", "max"])}; newest char ${quantiles(report.relayPerDeltaNewestCharMs, ["p50", "p99"])}; ${report.charactersPerDelta?.toFixed(1) ?? "?"} chars per delta`,
    `  end relay         ${quantiles(report.endRelayMs, ["p50", "p99", "max"])}   (fake's last chunk → answer-end);  question → answer-end ${quantiles(report.answerEndMs, ["p50", "p99"])}`,
    `  errors            ${report.errors}${report.errors > 0 ? ` ${JSON.stringify(report.errorKinds)}` : ""}`,
    `  server            RSS ${megabytes(server.rssBytes)}, heap ${megabytes(server.heapUsedAfterGcBytes)} after GC, CPU ${percent(server.cpuShareOfOneCore)} of one core; event loop delay p50 ${ms(server.eventLoopDelayMs?.p50)}  p99 ${ms(server.eventLoopDelayMs?.p99)}  max ${ms(server.eventLoopDelayMs?.max)}`,
    `  generator         CPU ${seconds(generator.cpuMs)} = ${percent(generator.shareOfOneCore)} of one core, ${percent(generator.shareOfAllCores)} of all ${machine.cores} cores (shoppers + fake model); its event loop delay p99 ${ms(generator.eventLoopDelayMs.p99)}  max ${ms(generator.eventLoopDelayMs.max)}`,
    `  machine           ${cores(machine.busyCores)} of ${machine.cores} cores busy, ${cores(machine.otherProcessesCores)} by other processes; load average ${machine.loadAverage1m.toFixed(2)}`,
    `  targets           overhead p99 ≤ ${targets.overheadP99DesignMs} ms (DESIGN): ${verdict(overheadP99, targets.overheadP99DesignMs)};  ≤ ${targets.overheadP99T3Ms} ms at 50 in flight (anchors T3): ${verdict(overheadP99, targets.overheadP99T3Ms)};  relay ≤ ${targets.relayPerTokenP99Ms} ms p99 per token (T3, oldest char): ${verdict(report.relayPerDeltaOldestCharMs.p99, targets.relayPerTokenP99Ms)}`,
    `  note              the overhead includes the verdict: the server shows nothing before the model's one-letter verdict and the character after it, so a verdict in a chunk of its own adds one per-chunk delay`,
  ];
  console.log(lines.join("\n"));
}
