import { availableParallelism, loadavg } from "node:os";
import { resolve } from "node:path";
import { questionFor } from "./chat-questions.ts";
import { requireFileLimit, timeLeft, type Tally } from "./connect-shoppers.ts";
import { summarize, type Distribution } from "./percentiles.ts";
import { readNumber } from "./read-option.ts";
import type { BenchContext, OptionValues, Scenario } from "./scenario.ts";
import { startServerProcess, type ServerProcess } from "./start-server-process.ts";
import { TimedShopper } from "./timed-shopper.ts";

const RESUME_P99_TARGET_MS = 2_000;
const FLOOR_SCRIPT = "test/bench/floor-server.ts";
const PHASE_ONE_AT_ONCE = 200;

/**
 * A reconnect storm: N shoppers hold conversations (each asked one question and got its outcome),
 * the server restarts on the same data folder and port, and the moment it is ready every shopper
 * resumes at once (a new socket, conversation-start with its token, page and language, as a widget
 * on a new page does: the whole history comes back). Measured from the new server being ready to each resume's ack.
 * With --floor the same storm first meets a bare socket.io server whose resume is one indexed
 * SQLite read, on the same machine at the same moment: what any Node server pays here for N
 * handshakes, the generator's own work and the machine's other load.
 */
export const reconnectScenario: Scenario = {
  name: "reconnect",
  summary: "a restart with N shoppers resuming at once: time from the server being ready to each resume, p99 target ≤ 2 s (--floor: against a bare socket.io server)",
  options: {
    shoppers: { type: "string", value: "<n>", default: "2000", description: "shoppers with a conversation who resume after the restart" },
    questions: { type: "string", value: "<n>", default: "1", description: "questions each shopper asks before the restart (0: conversations without history)" },
    floor: { type: "boolean", description: "first run the same storm against a bare socket.io server (one SQLite read per resume) and print both" },
    "server-cpu-prof": { type: "string", value: "<dir>", description: "write a V8 CPU profile of the restarted server into this folder (node --cpu-prof)" },
  },
  run: runReconnect,
};

type StormReport = {
  resumed: number;
  expected: number;
  resumeMs: Distribution;
  stormMs: number;
  startupMs: number;
  serverCpuSeconds: number | null;
  /** The server's CPU over the storm's wall time: near 1, it had a core and worked all the while; far below, it waited (for a core, or for the clients). */
  serverBusyShare: number | null;
  eventLoopDelayP99Ms: number | null;
  rssBytes: number | null;
  generatorCpuSeconds: number;
};

async function runReconnect(values: OptionValues, context: BenchContext): Promise<number> {
  const shopperCount = readNumber(values, "shoppers", { min: 1, integer: true })!;
  const questions = readNumber(values, "questions", { min: 0, integer: true })!;
  requireFileLimit(shopperCount);
  const errors = new Map<string, number>();
  const fail: Tally = (kind, count = 1) => void (count > 0 && errors.set(kind, (errors.get(kind) ?? 0) + count));
  const profileDir = values["server-cpu-prof"];
  const nodeArgs = typeof profileDir === "string" ? ["--cpu-prof", `--cpu-prof-dir=${resolve(profileDir)}`] : [];

  const floor = values.floor ? await storm({ label: "floor", script: FLOOR_SCRIPT, shopperCount, questions, nodeArgs: [] }, context, (kind, count) => fail(`floor-${kind}`, count)) : null;
  const kefu = await storm({ label: "kefu", shopperCount, questions, nodeArgs }, context, fail);

  const errorCount = [...errors.values()].reduce((sum, count) => sum + count, 0);
  const pass = kefu.resumeMs.p99 !== null && kefu.resumeMs.p99 <= RESUME_P99_TARGET_MS && kefu.resumed === kefu.expected;
  const ms = (value: number | null) => (value === null ? "?" : `${value.toFixed(0)} ms`);
  const describe = (name: string, report: StormReport) => [
    `  ${name.padEnd(12)} resumed ${report.resumed}/${report.expected}; from server ready to resume ack p50 ${ms(report.resumeMs.p50)}  p95 ${ms(report.resumeMs.p95)}  p99 ${ms(report.resumeMs.p99)}  first ${ms(report.resumeMs.min)}  max ${ms(report.resumeMs.max)}`,
    `  ${"".padEnd(12)} server CPU ${report.serverCpuSeconds === null ? "?" : `${report.serverCpuSeconds.toFixed(2)} s`} over the ${(report.stormMs / 1000).toFixed(1)} s storm (${report.serverCpuSeconds === null || report.resumed === 0 ? "?" : `${((report.serverCpuSeconds * 1000) / report.resumed).toFixed(2)} ms`} per resume, handshake included; busy ${report.serverBusyShare === null ? "?" : `${(report.serverBusyShare * 100).toFixed(0)}%`} of the storm), event loop delay p99 ${ms(report.eventLoopDelayP99Ms)}, RSS ${report.rssBytes === null ? "?" : `${(report.rssBytes / 1024 / 1024).toFixed(1)} MB`}; generator CPU ${report.generatorCpuSeconds.toFixed(2)} s`,
  ];
  const ratio = floor?.resumeMs.p99 && kefu.resumeMs.p99 !== null ? kefu.resumeMs.p99 / floor.resumeMs.p99 : null;
  console.log(
    [
      `reconnect: ${shopperCount} shoppers, ${questions} question(s) each, server restarted on the same data (startup ${(kefu.startupMs / 1000).toFixed(1)} s)`,
      ...(floor ? describe("floor", floor) : []),
      ...describe("kefu", kefu),
      `  target       every shopper resumed, p99 ≤ ${RESUME_P99_TARGET_MS} ms: ${pass ? "PASS" : "MISS"}${ratio === null ? "" : `;  ratio to the floor's p99 ${ratio.toFixed(2)}×`}`,
      `  note         the generator (this process) opens every socket at once; a server busy well under 100% of the storm waited for a core or for the clients, not for its own work`,
      `  errors       ${errorCount}${errorCount > 0 ? ` ${JSON.stringify(Object.fromEntries(errors))}` : ""}`,
      `  machine      load average ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores (other processes share them: wall times include waiting for a core)`,
    ].join("\n"),
  );
  console.log(JSON.stringify({ scenario: "reconnect", shoppers: shopperCount, questions, kefu, floor, ratioToFloorP99: ratio, errors: Object.fromEntries(errors), pass }));
  return errorCount > 0 ? 1 : 0;
}

/** Phase 1 on a first server (conversations with history), a restart on the same data, then everyone resumes at once. */
async function storm(options: { label: string; script?: string; shopperCount: number; questions: number; nodeArgs: string[] }, context: BenchContext, fail: Tally): Promise<StormReport> {
  const { signal, progress } = context;
  const script = options.script ? { script: options.script } : {};
  progress(`${options.label}: starting the server…`);
  const first = await startServerProcess({ signal, ...script });
  context.defer(() => first.stop());
  progress(`${options.label}: connecting ${options.shopperCount} shoppers; each asks ${options.questions} question(s)…`);
  const before = Array.from({ length: options.shopperCount }, () => new TimedShopper(first.url));
  context.defer(() => before.forEach((shopper) => shopper.close()));
  const tokens: (string | null)[] = before.map(() => null);
  // Not measured: shoppers arrive PHASE_ONE_AT_ONCE at a time, so no handshake overflows the listen backlog.
  let next = 0;
  const setUp = async (shopper: TimedShopper, index: number) => {
    try {
      await shopper.connect(signal);
      const { response } = await shopper.start({ locale: questionFor(index, 0).locale }, timeLeft(context), signal);
      if (!response.ok) return fail(`start:${response.error.code}`);
      tokens[index] = response.data.resumeToken;
      for (let question = 0; question < options.questions; question += 1) {
        const sent = await shopper.send(questionFor(index, question).text, timeLeft(context), signal);
        if (!sent.response.ok) return fail(`nack:${sent.response.error.code}`);
        // The floor never answers: its history is the shopper's messages.
        if (!options.script) await shopper.outcomeOf(sent.response.data.seq, signal);
      }
    } catch {
      fail(signal.aborted ? "unfinished" : "before-restart");
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(PHASE_ONE_AT_ONCE, before.length) }, async () => {
      while (next < before.length) {
        const index = next++;
        await setUp(before[index]!, index);
      }
    }),
  );
  for (const shopper of before) shopper.close();

  progress(`${options.label}: restarting the server on the same data folder…`);
  await first.end();
  // The shoppers' clients exist before the server is back (as open pages do); only connecting and resuming is timed.
  const after = tokens.map(() => new TimedShopper(first.url));
  context.defer(() => after.forEach((shopper) => shopper.close()));
  const second: ServerProcess = await startServerProcess({ signal, ...script, nodeArgs: options.nodeArgs, reuse: { port: first.port, dataDir: first.dataDir } });
  context.defer(() => second.stop());
  const readyAt = performance.now();
  second.resetProbe();
  const generatorBefore = process.cpuUsage();
  const expected = tokens.filter(Boolean).length;
  progress(`${options.label}: server ready in ${(second.startupMs / 1000).toFixed(1)} s; ${expected} shoppers resume at once…`);
  const resumed: number[] = [];
  await Promise.all(
    after.map(async (shopper, index) => {
      const resumeToken = tokens[index];
      if (!resumeToken) return;
      try {
        await shopper.connect(signal);
        // As the widget resumes: its token, the last seq it holds (none: the whole history comes back), its page and language.
        const { response, ackAt } = await shopper.start({ resumeToken, lastSeq: 0, productId: null, locale: questionFor(index, 0).locale }, timeLeft(context), signal);
        if (response.ok) resumed.push(ackAt - readyAt);
        else fail(`resume:${response.error.code}`);
      } catch {
        fail(signal.aborted ? "unfinished" : "resume-timeout");
      }
    }),
  );
  const stormMs = performance.now() - readyAt;
  const generatorCpu = process.cpuUsage(generatorBefore);
  const probe = await second.probe(10_000, { gc: false });
  const memory = second.memory();
  for (const shopper of after) shopper.close();
  await second.stop();
  // The server's own CPU time is what a dedicated machine would spend; wall time here includes waiting for shared cores.
  const serverCpuSeconds = probe ? (probe.cpuMicros.user + probe.cpuMicros.system) / 1e6 : null;
  return {
    resumed: resumed.length,
    expected,
    resumeMs: summarize(resumed),
    stormMs,
    startupMs: second.startupMs,
    serverCpuSeconds,
    serverBusyShare: serverCpuSeconds === null ? null : (serverCpuSeconds * 1000) / stormMs,
    eventLoopDelayP99Ms: probe?.eventLoopDelayMs.p99 ?? null,
    rssBytes: memory?.rssBytes ?? probe?.memory.rss ?? null,
    generatorCpuSeconds: (generatorCpu.user + generatorCpu.system) / 1e6,
  };
}
