import { availableParallelism, loadavg } from "node:os";
import { questionFor } from "./chat-questions.ts";
import { requireFileLimit, timeLeft, type Tally } from "./connect-shoppers.ts";
import { summarize } from "./percentiles.ts";
import { readNumber } from "./read-option.ts";
import type { BenchContext, OptionValues, Scenario } from "./scenario.ts";
import { startServerProcess } from "./start-server-process.ts";
import { TimedShopper } from "./timed-shopper.ts";

const RESUME_P99_TARGET_MS = 2_000;

/**
 * A reconnect storm: N shoppers hold conversations (each asked one question and got its outcome),
 * the server restarts on the same data folder and port, and the moment it is ready every shopper
 * resumes at once (a new socket, conversation-start with its token, as a widget on a new page does:
 * the whole history comes back). Measured from the new server being ready to each resume's ack.
 */
export const reconnectScenario: Scenario = {
  name: "reconnect",
  summary: "a restart with N shoppers resuming at once: time from the server being ready to each resume, p99 target ≤ 2 s",
  options: {
    shoppers: { type: "string", value: "<n>", default: "2000", description: "shoppers with a conversation who resume after the restart" },
    questions: { type: "string", value: "<n>", default: "1", description: "questions each shopper asks before the restart (0: conversations without history)" },
  },
  run: runReconnect,
};

async function runReconnect(values: OptionValues, context: BenchContext): Promise<number> {
  const shopperCount = readNumber(values, "shoppers", { min: 1, integer: true })!;
  const questions = readNumber(values, "questions", { min: 0, integer: true })!;
  requireFileLimit(shopperCount);
  const { signal, progress } = context;
  const errors = new Map<string, number>();
  const fail: Tally = (kind, count = 1) => void (count > 0 && errors.set(kind, (errors.get(kind) ?? 0) + count));

  progress("starting the server…");
  const first = await startServerProcess({ signal });
  context.defer(() => first.stop());
  progress(`connecting ${shopperCount} shoppers; each asks ${questions} question(s)…`);
  const before = Array.from({ length: shopperCount }, () => new TimedShopper(first.url));
  context.defer(() => before.forEach((shopper) => shopper.close()));
  const tokens: (string | null)[] = before.map(() => null);
  await Promise.all(
    before.map(async (shopper, index) => {
      try {
        await shopper.connect(signal);
        const { response } = await shopper.start({ locale: questionFor(index, 0).locale }, timeLeft(context), signal);
        if (!response.ok) return fail(`start:${response.error.code}`);
        tokens[index] = response.data.resumeToken;
        for (let question = 0; question < questions; question += 1) {
          const sent = await shopper.send(questionFor(index, question).text, timeLeft(context), signal);
          if (!sent.response.ok) return fail(`nack:${sent.response.error.code}`);
          await shopper.outcomeOf(sent.response.data.seq, signal);
        }
      } catch {
        fail(signal.aborted ? "unfinished" : "before-restart");
      }
    }),
  );
  for (const shopper of before) shopper.close();

  progress("restarting the server on the same data folder…");
  await first.end();
  const second = await startServerProcess({ signal, reuse: { port: first.port, dataDir: first.dataDir } });
  context.defer(() => second.stop());
  const readyAt = performance.now();
  second.resetProbe();
  const generatorBefore = process.cpuUsage();
  progress(`server ready in ${(second.startupMs / 1000).toFixed(1)} s; ${tokens.filter(Boolean).length} shoppers resume at once…`);
  const after = tokens.map(() => new TimedShopper(second.url));
  context.defer(() => after.forEach((shopper) => shopper.close()));
  const resumed: number[] = [];
  await Promise.all(
    after.map(async (shopper, index) => {
      const resumeToken = tokens[index];
      if (!resumeToken) return;
      try {
        await shopper.connect(signal);
        const { response, ackAt } = await shopper.start({ resumeToken, lastSeq: 0 }, timeLeft(context), signal);
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

  const distribution = summarize(resumed);
  // The server's own CPU time is what a dedicated machine would spend; wall time here includes waiting for shared cores.
  const cpuSeconds = probe ? (probe.cpuMicros.user + probe.cpuMicros.system) / 1e6 : null;
  const errorCount = [...errors.values()].reduce((sum, count) => sum + count, 0);
  const pass = distribution.p99 !== null && distribution.p99 <= RESUME_P99_TARGET_MS && resumed.length === tokens.filter(Boolean).length;
  const ms = (value: number | null) => (value === null ? "?" : `${value.toFixed(0)} ms`);
  console.log(
    [
      `reconnect: ${shopperCount} shoppers, ${questions} question(s) each, server restarted on the same data (startup ${(second.startupMs / 1000).toFixed(1)} s)`,
      `  resumed      ${resumed.length}/${tokens.filter(Boolean).length}; from server ready to resume ack p50 ${ms(distribution.p50)}  p95 ${ms(distribution.p95)}  p99 ${ms(distribution.p99)}  max ${ms(distribution.max)}`,
      `  target       every shopper resumed, p99 ≤ ${RESUME_P99_TARGET_MS} ms: ${pass ? "PASS" : "MISS"}`,
      `  server       RSS ${memory ? `${(memory.rssBytes / 1024 / 1024).toFixed(1)} MB` : "?"} after the storm; CPU ${cpuSeconds === null ? "?" : `${cpuSeconds.toFixed(2)} s`} over the ${(stormMs / 1000).toFixed(1)} s storm (${cpuSeconds === null || resumed.length === 0 ? "?" : `${((cpuSeconds * 1000) / resumed.length).toFixed(2)} ms`} per resume); event loop delay p99 ${probe ? `${probe.eventLoopDelayMs.p99.toFixed(0)} ms` : "?"}`,
      `  generator    CPU ${((generatorCpu.user + generatorCpu.system) / 1e6).toFixed(2)} s over the storm (this process opens the ${resumed.length} sockets; its own delays count in the figures above)`,
      `  errors       ${errorCount}${errorCount > 0 ? ` ${JSON.stringify(Object.fromEntries(errors))}` : ""}`,
      `  machine      load average ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores (other processes share them: wall times include waiting for a core)`,
    ].join("\n"),
  );
  console.log(JSON.stringify({ scenario: "reconnect", shoppers: shopperCount, questions, resumed: resumed.length, resumeMs: distribution, startupMs: second.startupMs, serverCpuSeconds: cpuSeconds, errors: Object.fromEntries(errors), pass }));
  return errorCount > 0 ? 1 : 0;
}
