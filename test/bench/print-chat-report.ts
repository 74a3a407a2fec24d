import { relative } from "node:path";
import { printFloorComparison, type FloorReport } from "./floor.ts";
import type { Distribution } from "./percentiles.ts";

/** Memory target: the server with this many idle shoppers connected stays within IDLE_RSS_TARGET_BYTES. */
const IDLE_SHOPPERS_TARGET = 10_000;
const IDLE_RSS_TARGET_BYTES = 500 * 1024 * 1024;

export type ChatReport = {
  scenario: "chat";
  /** Server processes; with storage postgres+redis they share one database and one Redis. */
  nodes: number;
  storage: "sqlite" | "postgres+redis";
  shoppers: number;
  messagesPerShopper: number;
  messages: number;
  answered: number;
  rate: number | null;
  dbSynchronous: string;
  knowledgeDir: string;
  passages: number | null;
  connectMs: number;
  durationMs: number;
  answersPerSecond: number;
  startAckMs: Distribution;
  /** Server RSS with every shopper connected and in a conversation, before any message. */
  idleRssBytes: number | null;
  /** The bare socket.io floor under the same load (--floor), or null. */
  floor: FloorReport | null;
  ackMs: Distribution;
  answerStartMs: Distribution;
  answerEndMs: Distribution;
  /** Durable conversation events the shoppers received, by type; each is one committed transaction on the server. */
  eventsReceived: Record<string, number>;
  eventsPerQuestion: number | null;
  /** Questions the bot handed to people instead of answering (not errors: the shopper then starts anew). */
  handoffs: number;
  handoffReasons: Record<string, number>;
  handoffMs: Distribution;
  errors: number;
  errorKinds: Record<string, number>;
  /** Why the run was cut short (global timeout, SIGINT), or null when every shopper finished. */
  stoppedBy: string | null;
  server: {
    rssBytes: number | null;
    peakRssBytes: number | null;
    heapUsedBytes: number | null;
    heapUsedAfterGcBytes: number | null;
    /** CPU time of the server process over the chat phase / wall time: 1 = one core busy. */
    cpuShareOfOneCore: number | null;
    eventLoopDelayMs: { mean: number; p50: number; p99: number; max: number } | null;
    logWarnings: number;
    logErrors: number;
  };
  generator: { cpuMs: number; shareOfOneCore: number; cores: number; shareOfAllCores: number };
  /** The whole box over the chat phase: other work on the same cores skews every figure above. */
  machine: { busyCores: number | null; otherProcessesCores: number | null; loadAverage1m: number };
};

/** The human-readable half of the output; the JSON line follows it. */
export function printChatReport(report: ChatReport): void {
  const { server, generator } = report;
  const elMs = server.eventLoopDelayMs;
  const lines = [
    `chat: ${report.nodes} server${report.nodes > 1 ? "s" : ""} (${report.storage}), ${report.shoppers} shoppers × ${report.messagesPerShopper} messages, rate ${report.rate === null ? "uncapped" : `${report.rate} msg/s`}, DB_SYNCHRONOUS=${report.dbSynchronous}, knowledge ${relative(process.cwd(), report.knowledgeDir) || "."} (${report.passages ?? "?"} passages)${report.stoppedBy ? `  [STOPPED: ${report.stoppedBy}]` : ""}`,
    `  connect      ${seconds(report.connectMs)} for all shoppers; conversation-start ack ${quantiles(report.startAckMs, ["p50", "p99", "max"])}`,
    `  duration     ${seconds(report.durationMs)}: ${report.answered}/${report.messages} answered, ${report.answersPerSecond.toFixed(1)} answers/s`,
    `  ack          ${quantiles(report.ackMs, ["p50", "p95", "p99", "max"])}`,
    `  answer-start ${quantiles(report.answerStartMs, ["p50", "p99", "max"])}`,
    `  answer-end   ${quantiles(report.answerEndMs, ["p50", "p99", "max"])}`,
    `  events       ${report.eventsPerQuestion === null ? "?" : report.eventsPerQuestion.toFixed(1)} durable events per question ${JSON.stringify(report.eventsReceived)}`,
    `  hand-offs    ${report.handoffs}${report.handoffs > 0 ? ` ${JSON.stringify(report.handoffReasons)}; question → hand-off ${quantiles(report.handoffMs, ["p50", "p99", "max"])}` : ""}`,
    `  errors       ${report.errors}${report.errors > 0 ? ` ${JSON.stringify(report.errorKinds)}` : ""}`,
    `  idle memory  RSS ${megabytes(report.idleRssBytes)} with ${report.shoppers} shoppers connected, before any message${idleVerdict(report)}`,
    `  server       RSS ${megabytes(server.rssBytes)} (peak ${megabytes(server.peakRssBytes)}), heap ${megabytes(server.heapUsedBytes)} (${megabytes(server.heapUsedAfterGcBytes)} after GC), CPU ${percent(server.cpuShareOfOneCore)} of one core${report.nodes > 1 ? ` (all ${report.nodes} servers; memory and event loop: the first)` : ""}`,
    `  event loop   delay p50 ${ms(elMs?.p50)}  p99 ${ms(elMs?.p99)}  max ${ms(elMs?.max)}`,
    `  generator    CPU ${seconds(generator.cpuMs)} = ${percent(generator.shareOfOneCore)} of one core, ${percent(generator.shareOfAllCores)} of all ${generator.cores} cores`,
    `  machine      ${cores(report.machine.busyCores)} of ${generator.cores} cores busy, ${cores(report.machine.otherProcessesCores)} by other processes; load average ${report.machine.loadAverage1m.toFixed(2)}`,
  ];
  if (report.floor) lines.push(...printFloorComparison(report.floor, report.ackMs));
  console.log(lines.join("\n"));
}

function idleVerdict(report: ChatReport): string {
  if (report.idleRssBytes === null) return "";
  const target = `target ≤ ${megabytes(IDLE_RSS_TARGET_BYTES)} at ${IDLE_SHOPPERS_TARGET.toLocaleString("en")} shoppers`;
  if (report.shoppers < IDLE_SHOPPERS_TARGET) return ` (${target}: run with --shoppers ${IDLE_SHOPPERS_TARGET} to judge)`;
  return ` (${target}: ${report.idleRssBytes <= IDLE_RSS_TARGET_BYTES ? "PASS" : "MISS"})`;
}

function quantiles(distribution: Distribution, keys: ("p50" | "p95" | "p99" | "max")[]): string {
  if (distribution.count === 0) return "no samples";
  return `${keys.map((key) => `${key} ${ms(distribution[key])}`).join("  ")}  (n=${distribution.count})`;
}

function ms(value: number | null | undefined): string {
  if (value === null || value === undefined) return "?";
  return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} ms`;
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(2)} s`;
}

function megabytes(bytes: number | null): string {
  return bytes === null ? "?" : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function cores(value: number | null): string {
  return value === null ? "?" : value.toFixed(2);
}

function percent(share: number | null): string {
  return share === null ? "?" : `${(share * 100).toFixed(0)}%`;
}
