import { cores, megabytes, ms, percent, quantiles, seconds, verdict } from "./format.ts";
import { VERDICT_LINE } from "./llm-fake-model.ts";
import type { Distribution } from "./percentiles.ts";
import type { PhaseFigures } from "./turn-phases.ts";

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

/** The llm scenario's figures, one line each, with what each measures and its targets. */
export function printLlmReport(report: LlmReport): void {
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
