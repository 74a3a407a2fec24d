import { setTimeout as sleep } from "node:timers/promises";
import { questionFor } from "./chat-questions.ts";
import type { PhaseFigures, Tally } from "./ingest-report.ts";
import { Pacer } from "./pacer.ts";
import { summarize, type Distribution } from "./percentiles.ts";
import type { ProbeReport } from "./server-probe.ts";
import { TimedShopper } from "./timed-shopper.ts";

export const ACK_TIMEOUT_MS = 30_000;
/** A probe question is sent this often, each from its own socket, several in flight. */
export const PROBE_INTERVAL_MS = 200;
const PROBE_SOCKETS = 25;

type ChatSample = { sentAt: number; ackMs: number; answerStartMs: number | null; handoff: boolean };

/** A question whose answer only a given knowledge version holds: asked on a product's page, answered when a complete answer cites `documentId` (and quotes `token`, when set). */
export type ProbeTarget = { question: string; productId: string; documentId: string; token: string | null; locale: "en" | "zh" };
/** A stretch of the bench's clock (performance.now()), from inclusive, to exclusive. */
export type Window = { from: number; to: number };
export type ProbeOutcome = { answerableAt: number | null; questionSentAt: number | null; probes: number };

/**
 * The shoppers of the ingest bench: they chat at a steady aggregate rate against one running
 * server from `start()` until `stop()`, through both publishes, and every question's ack and
 * answer start is kept by send time, so each phase is read afterwards by its time window.
 * Probe sockets ask a version-specific question until the server answers it.
 */
export class ChatLoad {
  readonly samples: ChatSample[] = [];
  readonly #shoppers: TimedShopper[];
  readonly #probeSockets: TimedShopper[];
  readonly #stop = new AbortController();
  readonly #fail: Tally;
  readonly #signal: AbortSignal;
  #loops: Promise<void>[] = [];

  constructor(url: string, shopperCount: number, signal: AbortSignal, fail: Tally) {
    this.#shoppers = Array.from({ length: shopperCount }, () => new TimedShopper(url));
    this.#probeSockets = Array.from({ length: PROBE_SOCKETS }, () => new TimedShopper(url));
    this.#signal = signal;
    this.#fail = fail;
  }

  get shopperCount(): number {
    return this.#shoppers.length;
  }

  /** Connect everyone, start the shoppers' conversations, and let them ask at `rate` messages/s in all. */
  async start(rate: number): Promise<void> {
    const signal = this.#signal;
    await Promise.all([...this.#shoppers, ...this.#probeSockets].map((shopper) => shopper.connect(signal)));
    await Promise.all(
      this.#shoppers.map(async (shopper, index) => {
        const started = await shopper.start({ locale: questionFor(index, 0).locale }, ACK_TIMEOUT_MS, signal);
        if (!started.response.ok) throw new Error(`conversation-start refused: ${started.response.error.code}`);
      }),
    );
    const chatSignal = AbortSignal.any([signal, this.#stop.signal]);
    const pacer = new Pacer(rate);
    this.#loops = this.#shoppers.map(async (shopper, index) => {
      for (let message = 0; !chatSignal.aborted; message += 1) {
        try {
          await pacer.wait(chatSignal);
          const { response, sentAt, ackAt } = await shopper.send(questionFor(index, message).text, ACK_TIMEOUT_MS, chatSignal);
          if (!response.ok) {
            this.#fail(`nack:${response.error.code}`);
            continue;
          }
          const outcome = await shopper.outcomeOf(response.data.seq, chatSignal);
          if (outcome.kind === "answer") {
            this.samples.push({ sentAt, ackMs: ackAt - sentAt, answerStartMs: outcome.startAt - sentAt, handoff: false });
          } else {
            this.samples.push({ sentAt, ackMs: ackAt - sentAt, answerStartMs: null, handoff: true });
            const restarted = await shopper.start({ locale: questionFor(index, 0).locale }, ACK_TIMEOUT_MS, chatSignal);
            if (!restarted.response.ok) throw new Error(`restart refused: ${restarted.response.error.code}`);
          }
        } catch (error) {
          if (chatSignal.aborted) return;
          this.#fail((error as Error).message.startsWith("disconnected") ? "disconnected" : "chat-error");
          if (!shopper.socket.connected) return;
        }
      }
    });
  }

  /** Stop asking, wait (up to 10 s) for the questions in flight, and close every socket. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await Promise.race([Promise.all(this.#loops), sleep(10_000)]);
    this.close();
  }

  close(): void {
    this.#stop.abort();
    for (const shopper of [...this.#shoppers, ...this.#probeSockets]) shopper.close();
  }

  /** The questions sent in [from, to) and what the server's probe saw over that stretch. */
  phase(from: number, to: number, probe: ProbeReport | null): PhaseFigures {
    const inPhase = this.samples.filter((sample) => sample.sentAt >= from && sample.sentAt < to);
    return {
      questions: inPhase.length,
      ackMs: summarize(inPhase.map((sample) => sample.ackMs)),
      answerStartMs: summarize(inPhase.flatMap((sample) => (sample.answerStartMs === null ? [] : [sample.answerStartMs]))),
      handoffs: inPhase.filter((sample) => sample.handoff).length,
      eventLoopDelayMs: probe ? { p50: probe.eventLoopDelayMs.p50, p99: probe.eventLoopDelayMs.p99, max: probe.eventLoopDelayMs.max } : null,
      serverCpuShare: probe ? (probe.cpuMicros.user + probe.cpuMicros.system) / 1000 / probe.elapsedMs : null,
    };
  }

  /** The acks of the questions sent in any of `windows` (e.g. every update's), as one distribution. */
  acksIn(windows: readonly Window[]): Distribution {
    return summarize(this.samples.filter((sample) => windows.some((window) => sample.sentAt >= window.from && sample.sentAt < window.to)).map((sample) => sample.ackMs));
  }

  /** One probe now, on the first probe socket (e.g. to check the answer is not there yet). */
  askOnce(target: ProbeTarget): Promise<{ cites: boolean; sentAt: number; at: number } | null> {
    return askProbe(this.#probeSockets[0]!, target, this.#signal);
  }

  /**
   * Ask `target` every PROBE_INTERVAL_MS from an idle probe socket (probes overlap, so a stalled
   * server does not coarsen the measurement) until an answer cites it or `giveUpAt` passes:
   * answerable = the first arrival of a citing answer.
   */
  async probeUntilAnswered(target: ProbeTarget, giveUpAt: number): Promise<ProbeOutcome> {
    const signal = this.#signal;
    const outcome: ProbeOutcome = { answerableAt: null, questionSentAt: null, probes: 0 };
    const idle = [...this.#probeSockets];
    while (outcome.answerableAt === null && performance.now() < giveUpAt && !signal.aborted) {
      const tick = performance.now();
      const socket = idle.pop();
      if (socket) {
        outcome.probes += 1;
        void askProbe(socket, target, signal)
          .then((result) => {
            if (result?.cites && outcome.answerableAt === null) {
              outcome.answerableAt = result.at;
              outcome.questionSentAt = result.sentAt;
            }
          })
          .catch((error: unknown) => {
            // A probe still in flight when the shoppers leave (stop()) ends with its socket: not a failure.
            if (!signal.aborted && !this.#stop.signal.aborted) this.#fail(`probe:${(error as Error).message.slice(0, 40)}`);
          })
          .finally(() => idle.push(socket));
      }
      await sleep(Math.max(0, PROBE_INTERVAL_MS - (performance.now() - tick)), undefined, { signal });
    }
    return outcome;
  }
}

/**
 * One probe: a fresh conversation on the product's page asks the question; it counts as answered
 * when a complete answer cites the target document (and quotes the token, when there is one).
 */
async function askProbe(probe: TimedShopper, target: ProbeTarget, signal: AbortSignal): Promise<{ cites: boolean; sentAt: number; at: number } | null> {
  const started = await probe.start({ locale: target.locale, productId: target.productId }, ACK_TIMEOUT_MS, signal);
  if (!started.response.ok) throw new Error(`probe start refused: ${started.response.error.code}`);
  const { response, sentAt } = await probe.send(target.question, ACK_TIMEOUT_MS, signal);
  if (!response.ok) throw new Error(`probe refused: ${response.error.code}`);
  const outcome = await probe.outcomeOf(response.data.seq, signal);
  if (outcome.kind !== "answer") return { cites: false, sentAt, at: outcome.at };
  const cites = outcome.status === "complete" && outcome.citedDocuments.includes(target.documentId) && (target.token === null || outcome.text.includes(target.token));
  return { cites, sentAt, at: outcome.endAt };
}
