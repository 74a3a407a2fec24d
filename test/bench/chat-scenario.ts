import { availableParallelism, loadavg } from "node:os";
import { resolve } from "node:path";
import { printChatReport, type ChatReport } from "./print-chat-report.ts";
import { Pacer } from "./pacer.ts";
import { questionFor } from "./chat-questions.ts";
import { summarize } from "./percentiles.ts";
import { busyCores, sampleMachineCpu } from "./read-machine-cpu.ts";
import { readChoice, readNumber, readStrings, UsageError } from "./read-option.ts";
import type { BenchContext, OptionValues, Scenario } from "./scenario.ts";
import { startServerProcess } from "./start-server-process.ts";
import { createThrowawayDatabase } from "../support/throwaway-database.ts";
import { TimedShopper } from "./timed-shopper.ts";
import { runFloor } from "./floor.ts";
import { connectAll, requireFileLimit, timeLeft, type Tally } from "./connect-shoppers.ts";

const ACK_TIMEOUT_MS = 30_000;
const LOG_LINES_SHOWN = 5;

/**
 * N shoppers each start a conversation, then ask M questions one after another, each after the
 * bot's answer to the previous one has ended, as a real shopper would; optionally paced to an
 * aggregate rate. The server runs alone in its own process; this process only generates load.
 */
export const chatScenario: Scenario = {
  name: "chat",
  summary: "concurrent shoppers asking questions: ack and answer latency, answers/s, server memory and event-loop delay",
  options: {
    shoppers: { type: "string", value: "<n>", default: "200", description: "concurrent shoppers (sockets), each with its own conversation" },
    messages: { type: "string", value: "<n>", default: "5", description: "questions per shopper, each sent after the previous answer ended" },
    rate: { type: "string", value: "<msgs/s>", description: "cap on the aggregate send rate across all shoppers (default: no cap)" },
    "db-synchronous": { type: "string", value: "full|normal", description: "the server's DB_SYNCHRONOUS (default: the server's own default, full)" },
    "server-env": { type: "string", multiple: true, value: "KEY=VALUE", description: "extra environment for the server, repeatable (e.g. HNSW_EF=64)" },
    floor: { type: "boolean", description: "first run a bare socket.io server that acks after one durable SQLite insert (WAL, synchronous=FULL) under the same load, and compare ack p50/p95/p99 with PASS/MISS against p99 ≤ 25 ms and ≤ 3× the floor" },
    "server-cpu-prof": { type: "string", value: "<dir>", description: "write a V8 CPU profile of the server into this folder (node --cpu-prof)" },
    nodes: { type: "string", value: "<n>", description: "run n servers on Postgres + Redis (a throw-away database), shoppers spread over them in turn (default: one embedded server, SQLite)" },
    "database-url": { type: "string", value: "<url>", default: "postgres://postgres@127.0.0.1:5432/postgres", description: "with --nodes: Postgres to create the throw-away database in" },
    "redis-url": { type: "string", value: "<url>", default: "redis://127.0.0.1:6379", description: "with --nodes: the Redis the servers share" },
  },
  run: runChat,
};

async function runChat(values: OptionValues, context: BenchContext): Promise<number> {
  const shopperCount = readNumber(values, "shoppers", { min: 1, integer: true })!;
  const messagesPerShopper = readNumber(values, "messages", { min: 1, integer: true })!;
  const rate = readNumber(values, "rate", { min: 0.001 });
  requireFileLimit(shopperCount);
  const synchronous = readChoice(values, "db-synchronous", ["full", "normal"] as const);
  const env: Record<string, string> = synchronous ? { DB_SYNCHRONOUS: synchronous } : {};
  for (const pair of readStrings(values, "server-env")) {
    const at = pair.indexOf("=");
    if (at < 1) throw new UsageError(`--server-env takes KEY=VALUE, got ${JSON.stringify(pair)}`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const profileDir = values["server-cpu-prof"];
  const nodeArgs = typeof profileDir === "string" ? ["--cpu-prof", `--cpu-prof-dir=${resolve(profileDir)}`] : [];

  const { signal, progress } = context;
  const errors = new Map<string, number>();
  const fail: Tally = (kind, count = 1) => void (count > 0 && errors.set(kind, (errors.get(kind) ?? 0) + count));

  const floor = values.floor ? await runFloor({ shoppers: shopperCount, messagesPerShopper, rate }, context, fail) : null;

  const nodeCount = readNumber(values, "nodes", { min: 1, integer: true });
  if (nodeCount !== undefined) {
    const database = await createThrowawayDatabase(String(values["database-url"]), "kefu_bench");
    context.defer(() => database.drop());
    Object.assign(env, { DATABASE_URL: database.url, REDIS_URL: String(values["redis-url"]) });
  }
  progress(`starting ${nodeCount ?? 1} server${(nodeCount ?? 1) > 1 ? "s" : ""}…`);
  // One after the other: the first applies the migrations, and start-up ingestion does not compete.
  const servers: Awaited<ReturnType<typeof startServerProcess>>[] = [];
  for (let index = 0; index < (nodeCount ?? 1); index += 1) {
    const started = await startServerProcess({ env, nodeArgs, signal });
    context.defer(() => started.stop());
    servers.push(started);
    progress(`server pid ${started.pid} ready in ${(started.startupMs / 1000).toFixed(1)} s at ${started.url} (${started.passages ?? "?"} passages)`);
  }
  const server = servers[0]!;

  progress(`connecting ${shopperCount} shoppers…`);
  const shoppers = Array.from({ length: shopperCount }, (_, index) => new TimedShopper(servers[index % servers.length]!.url));
  context.defer(() => shoppers.forEach((shopper) => shopper.close()));
  const connectBegan = performance.now();
  const { ready, startAcks } = await connectAll(shoppers, context, fail);
  const connectMs = performance.now() - connectBegan;
  // Every shopper connected and in a conversation, none talking yet: the idle footprint.
  const idleRssBytes = server.memory()?.rssBytes ?? null;

  progress(`${ready.filter(Boolean).length} shoppers in conversation after ${(connectMs / 1000).toFixed(1)} s; sending ${shopperCount * messagesPerShopper} questions…`);
  for (const each of servers) each.resetProbe();
  const cpuBefore = process.cpuUsage();
  const machineBefore = sampleMachineCpu();
  const chatBegan = performance.now();
  const samples = await converse(shoppers, ready, { messagesPerShopper, pacer: new Pacer(rate) }, context, fail);
  const durationMs = performance.now() - chatBegan;
  const cpu = process.cpuUsage(cpuBefore);
  const machineAfter = sampleMachineCpu();

  // Measure the server while every shopper is still connected, then let them go.
  // A cut-short run does not wait long for a server whose event loop may be blocked.
  const probes = await Promise.all(servers.map((each) => each.probe(signal.aborted ? 2_000 : 10_000)));
  const probe = probes[0] ?? null;
  const memory = server.memory();
  for (const shopper of shoppers) shopper.close();
  for (const each of servers) fail("server-log-error", each.logs.errors);

  const eventCounts: Record<string, number> = {};
  for (const shopper of shoppers) for (const [type, count] of shopper.eventCounts) eventCounts[type] = (eventCounts[type] ?? 0) + count;
  const cores = availableParallelism();
  const generatorCores = (cpu.user + cpu.system) / 1000 / durationMs;
  // All servers together: with --nodes, what the cluster used of the machine.
  const serverCores = probes.every(Boolean) ? probes.reduce((sum, each) => sum + (each!.cpuMicros.user + each!.cpuMicros.system) / 1000 / each!.elapsedMs, 0) : null;
  const machineCores = busyCores(machineBefore, machineAfter, cores);
  const errorCount = [...errors.values()].reduce((sum, count) => sum + count, 0);
  const report: ChatReport = {
    scenario: "chat",
    nodes: servers.length,
    storage: nodeCount === undefined ? "sqlite" : "postgres+redis",
    shoppers: shopperCount,
    messagesPerShopper,
    messages: shopperCount * messagesPerShopper,
    answered: samples.answerEnds.length,
    rate: rate ?? null,
    dbSynchronous: env.DB_SYNCHRONOUS ?? "full",
    knowledgeDir: server.knowledgeDir,
    passages: server.passages,
    connectMs,
    durationMs,
    answersPerSecond: samples.answerEnds.length / (durationMs / 1000),
    startAckMs: summarize(startAcks),
    idleRssBytes,
    floor,
    ackMs: summarize(samples.acks),
    answerStartMs: summarize(samples.answerStarts),
    answerEndMs: summarize(samples.answerEnds),
    eventsReceived: eventCounts,
    eventsPerQuestion: eventCounts.message ? Object.values(eventCounts).reduce((sum, count) => sum + count, 0) / eventCounts.message : null,
    handoffs: samples.handoffs.length,
    handoffReasons: Object.fromEntries(samples.handoffReasons),
    handoffMs: summarize(samples.handoffs),
    errors: errorCount,
    errorKinds: Object.fromEntries(errors),
    stoppedBy: signal.aborted ? String((signal.reason as Error | undefined)?.message ?? signal.reason) : null,
    server: {
      rssBytes: memory?.rssBytes ?? probe?.memory.rss ?? null,
      peakRssBytes: memory?.peakRssBytes ?? null,
      heapUsedBytes: probe?.memory.heapUsed ?? null,
      heapUsedAfterGcBytes: probe?.heapUsedAfterGc ?? null,
      cpuShareOfOneCore: serverCores,
      eventLoopDelayMs: probe?.eventLoopDelayMs ?? null,
      logWarnings: server.logs.warnings,
      logErrors: server.logs.errors,
    },
    generator: { cpuMs: generatorCores * durationMs, shareOfOneCore: generatorCores, cores, shareOfAllCores: generatorCores / cores },
    machine: {
      busyCores: machineCores,
      otherProcessesCores: machineCores === null || serverCores === null ? null : Math.max(0, machineCores - serverCores - generatorCores),
      loadAverage1m: loadavg()[0]!,
    },
  };
  printChatReport(report);
  if (server.logs.errors > 0 || server.logs.warnings > 0) {
    const tail = server.logs.tail.slice(-LOG_LINES_SHOWN).map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line));
    console.log(`server log (${server.logs.warnings} warnings, ${server.logs.errors} errors), last lines:\n  ${tail.join("\n  ")}`);
  }
  console.log(JSON.stringify(report));
  return errorCount > 0 ? 1 : 0;
}

type ChatSamples = { acks: number[]; answerStarts: number[]; answerEnds: number[]; handoffs: number[]; handoffReasons: Map<string, number> };

/** Phase 2: each ready shopper asks its questions, one after the other's outcome, until done or stopped. */
async function converse(
  shoppers: TimedShopper[],
  ready: boolean[],
  options: { messagesPerShopper: number; pacer: Pacer },
  context: BenchContext,
  fail: Tally,
): Promise<ChatSamples> {
  const { signal } = context;
  const { messagesPerShopper, pacer } = options;
  const samples: ChatSamples = { acks: [], answerStarts: [], answerEnds: [], handoffs: [], handoffReasons: new Map() };
  const ackTimeout = () => Math.min(ACK_TIMEOUT_MS, timeLeft(context));
  await Promise.all(
    shoppers.map(async (shopper, index) => {
      if (!ready[index]) return;
      for (let message = 0; message < messagesPerShopper; message += 1) {
        try {
          signal.throwIfAborted();
          await pacer.wait(signal);
          const { response, sentAt, ackAt } = await shopper.send(questionFor(index, message).text, ackTimeout(), signal);
          if (!response.ok) {
            fail(`nack:${response.error.code}`);
            continue;
          }
          samples.acks.push(ackAt - sentAt);
          const outcome = await shopper.outcomeOf(response.data.seq, signal);
          if (outcome.kind === "answer") {
            samples.answerStarts.push(outcome.startAt - sentAt);
            samples.answerEnds.push(outcome.endAt - sentAt);
            if (outcome.status !== "complete") fail(`answer-${outcome.status}`);
          } else {
            // Handed to people: the bot will not answer here any more, so carry on as a new shopper would.
            samples.handoffs.push(outcome.at - sentAt);
            const reason = outcome.reason ?? "none";
            samples.handoffReasons.set(reason, (samples.handoffReasons.get(reason) ?? 0) + 1);
            const restarted = await shopper.start({ locale: questionFor(index, 0).locale }, ackTimeout(), signal);
            if (!restarted.response.ok) throw new Error(`restart refused: ${restarted.response.error.code}`);
          }
        } catch (error) {
          if (signal.aborted) {
            fail("unfinished", messagesPerShopper - message);
            return;
          }
          fail(error instanceof Error ? errorKind(error.message) : "unknown");
          if (!shopper.socket.connected) {
            fail("not-sent-after-disconnect", messagesPerShopper - message - 1);
            return;
          }
        }
      }
    }),
  );
  return samples;
}

function errorKind(message: string): string {
  if (message.startsWith("disconnected")) return "disconnected";
  if (message.startsWith("restart refused")) return "restart-refused";
  if (message.includes("ack within")) return "ack-timeout";
  return "unknown";
}
