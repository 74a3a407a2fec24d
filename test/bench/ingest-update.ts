import { availableParallelism, loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { ProductRecord } from "../../src/knowledge/read-catalog.ts";
import { loginAdmin, publishChanges, type PublishResponse } from "./admin-client.ts";
import { questionFor } from "./chat-questions.ts";
import { megabytes, seconds } from "./format.ts";
import type { PhaseFigures, Tally, UpdateReport } from "./ingest-report.ts";
import { Pacer } from "./pacer.ts";
import { summarize } from "./percentiles.ts";
import { busyCores, sampleMachineCpu } from "./read-machine-cpu.ts";
import type { BenchContext } from "./scenario.ts";
import type { ProbeReport } from "./server-probe.ts";
import { startServerProcess } from "./start-server-process.ts";
import { TimedShopper } from "./timed-shopper.ts";

const ACK_TIMEOUT_MS = 30_000;
/** A probe question is sent this often from the publish on, each from its own socket, several in flight. */
const PROBE_INTERVAL_MS = 200;
const PROBE_SOCKETS = 25;
const WARMUP_MS = 2_000;
const ADMIN = { email: "bench-admin@kefu.test", password: "bench-admin-password" };
const LOG_LINES_SHOWN = 5;

/**
 * Part (b) of the ingest bench: the real server is started on the data folder part (a) built;
 * shoppers chat at a steady rate while an admin publishes a share of the documents changed, each
 * with a new unique token; a probe shopper asks about one token until an answer cites the change.
 */
export type UpdateInput = {
  dataDir: string;
  emptyKnowledge: string;
  products: readonly ProductRecord[];
  totalDocuments: number;
  updateShare: number;
  shopperCount: number;
  rate: number;
  baselineMs: number;
  afterMs: number;
  updateTimeoutMs: number;
  nodeArgs: string[];
  /** Settings the server must share with the folder built by the bench (the index shape). */
  serverEnv: Record<string, string>;
};

type ChatSample = { sentAt: number; ackMs: number; answerStartMs: number | null; handoff: boolean };

export async function updateWhileChatting(input: UpdateInput, context: BenchContext, fail: Tally): Promise<UpdateReport> {
  const { signal, progress } = context;
  progress("starting the server on the ingested data folder…");
  const serverEnv = { ...input.serverEnv, DATA_DIR: input.dataDir, KNOWLEDGE_DIR: input.emptyKnowledge, KNOWLEDGE_WATCH: "false", ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
  const server = await startServerProcess({
    env: serverEnv,
    nodeArgs: input.nodeArgs,
    signal,
    readyTimeoutMs: 300_000,
  });
  context.defer(() => server.stop());
  const serverRssAfterStart = server.memory()?.rssBytes ?? null;
  progress(`server pid ${server.pid} ready in ${seconds(server.startupMs)} (${server.passages ?? "?"} passages), RSS ${megabytes(serverRssAfterStart)}`);
  const token = await loginAdmin(server.url, ADMIN, signal);

  // The change: every n-th synthetic document gets a new price and a new attribute with a unique token.
  const count = Math.min(input.products.length, Math.max(1, Math.round(input.updateShare * input.totalDocuments)));
  const stride = Math.max(1, Math.floor(input.products.length / count));
  const changed = Array.from({ length: count }, (_, position) => {
    const product = input.products[position * stride]!;
    const token = `kfupd${position.toString(36)}x${((position * 2_654_435_761) >>> 0).toString(36)}`;
    const key = product.lang === "en" ? "Batch code" : "批次码";
    return { product: { ...product, price: product.price + 1 + (position % 7), attributes: { ...product.attributes, [key]: token } }, token };
  });
  const target = changed.find((entry) => entry.product.lang === "en") ?? changed[0]!;
  const targetDocument = `product:${target.product.sku}:${target.product.lang}`;
  // Asked from the changed product's page, as a shopper there would: only the new version holds the answer (the token).
  const probeQuestion = target.product.lang === "en" ? "What is the batch code?" : "批次码是多少？";
  const probeTarget = { question: probeQuestion, productId: target.product.sku, documentId: targetDocument, token: target.token, locale: target.product.lang };

  progress(`connecting ${input.shopperCount} shoppers…`);
  const shoppers = Array.from({ length: input.shopperCount }, () => new TimedShopper(server.url));
  const probeSockets = Array.from({ length: PROBE_SOCKETS }, () => new TimedShopper(server.url));
  context.defer(() => [...shoppers, ...probeSockets].forEach((shopper) => shopper.close()));
  await Promise.all([...shoppers, ...probeSockets].map((shopper) => shopper.connect(signal)));
  await Promise.all(
    shoppers.map(async (shopper, index) => {
      const started = await shopper.start({ locale: questionFor(index, 0).locale }, ACK_TIMEOUT_MS, signal);
      if (!started.response.ok) throw new Error(`conversation-start refused: ${started.response.error.code}`);
    }),
  );

  // Shoppers ask at a steady aggregate pace until told to stop.
  const stop = new AbortController();
  const chatSignal = AbortSignal.any([signal, stop.signal]);
  const pacer = new Pacer(input.rate);
  const samples: ChatSample[] = [];
  const cpuBefore = process.cpuUsage();
  const machineBefore = sampleMachineCpu();
  const chatBegan = performance.now();
  const loops = shoppers.map(async (shopper, index) => {
    for (let message = 0; !chatSignal.aborted; message += 1) {
      try {
        await pacer.wait(chatSignal);
        const { response, sentAt, ackAt } = await shopper.send(questionFor(index, message).text, ACK_TIMEOUT_MS, chatSignal);
        if (!response.ok) {
          fail(`nack:${response.error.code}`);
          continue;
        }
        const outcome = await shopper.outcomeOf(response.data.seq, chatSignal);
        if (outcome.kind === "answer") {
          samples.push({ sentAt, ackMs: ackAt - sentAt, answerStartMs: outcome.startAt - sentAt, handoff: false });
        } else {
          samples.push({ sentAt, ackMs: ackAt - sentAt, answerStartMs: null, handoff: true });
          const restarted = await shopper.start({ locale: questionFor(index, 0).locale }, ACK_TIMEOUT_MS, chatSignal);
          if (!restarted.response.ok) throw new Error(`restart refused: ${restarted.response.error.code}`);
        }
      } catch (error) {
        if (chatSignal.aborted) return;
        fail((error as Error).message.startsWith("disconnected") ? "disconnected" : "chat-error");
        if (!shopper.socket.connected) return;
      }
    }
  });

  try {
    await sleep(WARMUP_MS, undefined, { signal });
    const baselineBegan = performance.now();
    server.resetProbe();
    // The probe question must not be answerable yet: its token does not exist before the update.
    const before = await askProbe(probeSockets[0]!, probeTarget, signal);
    progress(`${input.shopperCount} shoppers chatting at ${input.rate} msg/s; baseline ${seconds(input.baselineMs)}…`);
    await sleep(Math.max(0, input.baselineMs - (performance.now() - baselineBegan)), undefined, { signal });
    const beforeProbe = await server.probe(5_000, { gc: false });
    server.resetProbe();

    progress(`publishing ${changed.length} changed documents (${(input.updateShare * 100).toFixed(1)}%) through the admin API…`);
    const publishAt = performance.now();
    let responseAt: number | null = null;
    const publishing = publishChanges(server.url, token, { documents: changed.map(({ product }) => ({ type: "product", ...product })) }, signal).then((response) => {
      responseAt = performance.now();
      return response;
    });
    // Probes overlap (a new one every PROBE_INTERVAL_MS on an idle socket), so a stalled server does not
    // coarsen the measurement: answerable = the first arrival of an answer that cites the change.
    let answerableAt: number | null = null;
    let answerableQuestionAt: number | null = null;
    let probesSent = 0;
    const idle = [...probeSockets];
    const inFlight = new Set<Promise<void>>();
    const giveUpAt = publishAt + input.updateTimeoutMs;
    while (answerableAt === null && performance.now() < giveUpAt && !signal.aborted) {
      const tick = performance.now();
      const socket = idle.pop();
      if (socket) {
        probesSent += 1;
        const flight: Promise<void> = askProbe(socket, probeTarget, signal)
          .then((result) => {
            if (result?.cites && answerableAt === null) {
              answerableAt = result.at;
              answerableQuestionAt = result.sentAt;
            }
          })
          .catch((error: unknown) => {
            if (!signal.aborted) fail(`probe:${(error as Error).message.slice(0, 40)}`);
          })
          .finally(() => {
            idle.push(socket);
            inFlight.delete(flight);
          });
        inFlight.add(flight);
      }
      await sleep(Math.max(0, PROBE_INTERVAL_MS - (performance.now() - tick)), undefined, { signal });
    }
    if (answerableAt === null) fail("update-not-answerable");
    let published: PublishResponse = { status: 0, body: {} };
    try {
      published = await publishing;
    } catch (error) {
      fail("publish-failed");
      progress(`publish failed: ${(error as Error).message}`);
    }
    if (published.status !== 200 || !published.body.published) fail(`publish-http-${published.status}`);
    const duringEnd = Math.max(responseAt ?? performance.now(), answerableAt ?? 0);
    const duringProbe = await server.probe(5_000, { gc: false });
    server.resetProbe();
    const rssAfterUpdate = server.memory()?.rssBytes ?? null;
    progress(`update answerable after ${seconds(answerableAt === null ? null : answerableAt - publishAt)}, HTTP response after ${seconds(responseAt === null ? null : responseAt - publishAt)}; ${seconds(input.afterMs)} more of chat…`);
    await sleep(input.afterMs, undefined, { signal });
    const afterEnd = performance.now();
    const afterProbe = await server.probe(10_000);
    stop.abort();
    await Promise.race([Promise.all(loops), sleep(10_000)]);
    const cpu = process.cpuUsage(cpuBefore);
    const elapsed = performance.now() - chatBegan;
    const machineAfter = sampleMachineCpu();
    fail("server-log-error", server.logs.errors);
    if (server.logs.errors > 0 || server.logs.warnings > 0) {
      const tail = server.logs.tail.slice(-LOG_LINES_SHOWN).map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line));
      console.log(`server log (${server.logs.warnings} warnings, ${server.logs.errors} errors), last lines:\n  ${tail.join("\n  ")}`);
    }

    // A restart on the updated folder: is the saved index reused, or rebuilt from the stored vectors?
    for (const shopper of [...shoppers, ...probeSockets]) shopper.close();
    await server.stop();
    progress("restarting the server on the updated data folder (cold start after an update)…");
    const restarted = await startServerProcess({ env: { ...serverEnv, LOG_LEVEL: "info" }, signal, readyTimeoutMs: 300_000 });
    const restartLog = restarted.logs.tail.join("\n");
    const restart = {
      startMs: restarted.startupMs,
      index: restartLog.includes("vector index built") ? "rebuilt" : restartLog.includes("vector index loaded") ? "loaded" : "?",
      rssBytes: restarted.memory()?.rssBytes ?? null,
    } as const;
    fail("restart-log-error", restarted.logs.errors);
    await restarted.stop();

    const phase = (from: number, to: number, probeReport: ProbeReport | null): PhaseFigures => {
      const inPhase = samples.filter((sample) => sample.sentAt >= from && sample.sentAt < to);
      return {
        questions: inPhase.length,
        ackMs: summarize(inPhase.map((sample) => sample.ackMs)),
        answerStartMs: summarize(inPhase.flatMap((sample) => (sample.answerStartMs === null ? [] : [sample.answerStartMs]))),
        handoffs: inPhase.filter((sample) => sample.handoff).length,
        eventLoopDelayMs: probeReport ? { p50: probeReport.eventLoopDelayMs.p50, p99: probeReport.eventLoopDelayMs.p99, max: probeReport.eventLoopDelayMs.max } : null,
        serverCpuShare: probeReport ? (probeReport.cpuMicros.user + probeReport.cpuMicros.system) / 1000 / probeReport.elapsedMs : null,
      };
    };
    const generatorShare = (cpu.user + cpu.system) / 1000 / elapsed;
    const machineCores = busyCores(machineBefore, machineAfter, availableParallelism());
    return {
      shoppers: input.shopperCount,
      rate: input.rate,
      serverStartMs: server.startupMs,
      serverRssAfterStartBytes: serverRssAfterStart,
      changedDocuments: changed.length,
      changedShare: changed.length / input.totalDocuments,
      publish: {
        status: published.status,
        responseMs: responseAt === null ? null : responseAt - publishAt,
        version: published.body.report?.version ?? null,
        updated: published.body.report?.updated ?? null,
        passages: published.body.report?.passages ?? null,
      },
      answerable: {
        afterMs: answerableAt === null ? null : answerableAt - publishAt,
        questionSentAfterMs: answerableQuestionAt === null ? null : answerableQuestionAt - publishAt,
        probes: probesSent,
        answeredBeforeUpdate: before?.cites ?? null,
      },
      before: phase(baselineBegan, publishAt, beforeProbe),
      during: { ...phase(publishAt, duringEnd, duringProbe), windowMs: duringEnd - publishAt },
      after: phase(duringEnd, afterEnd, afterProbe),
      serverRssAfterUpdateBytes: rssAfterUpdate,
      serverHeapAfterGcBytes: afterProbe?.heapUsedAfterGc ?? null,
      serverLog: { warnings: server.logs.warnings, errors: server.logs.errors },
      restartAfterUpdate: restart,
      generator: { shareOfOneCore: generatorShare },
      machine: { busyCores: machineCores, loadAverage1m: loadavg()[0]! },
    };
  } finally {
    stop.abort();
  }
}

type ProbeTarget = { question: string; productId: string; documentId: string; token: string; locale: "en" | "zh" };

/**
 * One probe: a fresh conversation on the changed product's page asks the probe question; it
 * counts as answered by the update when a complete answer cites the changed document and quotes
 * its new token.
 */
async function askProbe(probe: TimedShopper, target: ProbeTarget, signal: AbortSignal): Promise<{ cites: boolean; sentAt: number; at: number } | null> {
  const started = await probe.start({ locale: target.locale, productId: target.productId }, ACK_TIMEOUT_MS, signal);
  if (!started.response.ok) throw new Error(`probe start refused: ${started.response.error.code}`);
  const { response, sentAt } = await probe.send(target.question, ACK_TIMEOUT_MS, signal);
  if (!response.ok) throw new Error(`probe refused: ${response.error.code}`);
  const outcome = await probe.outcomeOf(response.data.seq, signal);
  if (outcome.kind !== "answer") return { cites: false, sentAt, at: outcome.at };
  const cites = outcome.status === "complete" && outcome.citedDocuments.includes(target.documentId) && outcome.text.includes(target.token);
  return { cites, sentAt, at: outcome.endAt };
}

