import { connectAll, timeLeft, type Tally } from "./connect-shoppers.ts";
import { questionFor } from "./chat-questions.ts";
import { Pacer } from "./pacer.ts";
import { summarize, type Distribution } from "./percentiles.ts";
import type { BenchContext } from "./scenario.ts";
import { startServerProcess } from "./start-server-process.ts";
import { TimedShopper } from "./timed-shopper.ts";

/** The issue's target for message-send acks: p99 at most this, and at most FLOOR_FACTOR × the floor's p99. */
export const ACK_P99_TARGET_MS = 25;
export const FLOOR_FACTOR = 3;

export type FloorReport = { shoppers: number; messages: number; connectMs: number; durationMs: number; ackMs: Distribution; rssBytes: number | null };

/**
 * The floor under the same load: the same number of shoppers connect and start, then send the same
 * number of messages at the same aggregate rate (each shopper's next after its previous ack, as
 * there is no answer to wait for), to a bare socket.io server that acks after one durable insert.
 */
export async function runFloor(options: { shoppers: number; messagesPerShopper: number; rate: number | undefined }, context: BenchContext, fail: Tally): Promise<FloorReport> {
  const { signal, progress } = context;
  const server = await startServerProcess({ script: "test/bench/floor-server.ts", signal });
  context.defer(() => server.stop());
  progress(`floor: bare socket.io + one durable SQLite insert per ack, pid ${server.pid}; connecting ${options.shoppers} shoppers…`);
  const shoppers = Array.from({ length: options.shoppers }, () => new TimedShopper(server.url));
  context.defer(() => shoppers.forEach((shopper) => shopper.close()));
  const connectBegan = performance.now();
  const { ready } = await connectAll(shoppers, context, (kind, count) => fail(`floor-${kind}`, count));
  const connectMs = performance.now() - connectBegan;
  progress(`floor: sending ${options.shoppers * options.messagesPerShopper} messages…`);
  const pacer = new Pacer(options.rate);
  const acks: number[] = [];
  const began = performance.now();
  await Promise.all(
    shoppers.map(async (shopper, index) => {
      if (!ready[index]) return;
      for (let message = 0; message < options.messagesPerShopper && !signal.aborted; message += 1) {
        try {
          await pacer.wait(signal);
          const { response, sentAt, ackAt } = await shopper.send(questionFor(index, message).text, Math.min(30_000, timeLeft(context)), signal);
          if (response.ok) acks.push(ackAt - sentAt);
          else fail(`floor-nack:${response.error.code}`);
        } catch {
          fail(signal.aborted ? "floor-unfinished" : "floor-ack-timeout");
        }
      }
    }),
  );
  const durationMs = performance.now() - began;
  const rssBytes = server.memory()?.rssBytes ?? null;
  for (const shopper of shoppers) shopper.close();
  await server.stop();
  return { shoppers: options.shoppers, messages: acks.length, connectMs, durationMs, ackMs: summarize(acks), rssBytes };
}

/** The comparison lines: both distributions, the ratio, and the verdict against the targets. */
export function printFloorComparison(floor: FloorReport, kefuAck: Distribution): string[] {
  const f = floor.ackMs;
  const ratio = kefuAck.p99 !== null && f.p99 ? kefuAck.p99 / f.p99 : null;
  const absolute = kefuAck.p99 !== null && kefuAck.p99 <= ACK_P99_TARGET_MS;
  const relative = ratio !== null && ratio <= FLOOR_FACTOR;
  const ms = (value: number | null) => (value === null ? "?" : `${value.toFixed(value < 10 ? 2 : 1)} ms`);
  return [
    `  floor        bare socket.io + 1 durable SQLite insert (WAL, synchronous=FULL), same shoppers/messages/rate: ${floor.messages} acks in ${(floor.durationMs / 1000).toFixed(1)} s`,
    `               ack p50 ${ms(f.p50)}  p95 ${ms(f.p95)}  p99 ${ms(f.p99)}  max ${ms(f.max)}   (Kefu: p50 ${ms(kefuAck.p50)}  p95 ${ms(kefuAck.p95)}  p99 ${ms(kefuAck.p99)})`,
    `  target       Kefu ack p99 ${ms(kefuAck.p99)} ≤ ${ACK_P99_TARGET_MS} ms: ${absolute ? "PASS" : "MISS"};  ratio to floor p99 ${ratio === null ? "?" : `${ratio.toFixed(2)}×`} ≤ ${FLOOR_FACTOR}×: ${relative ? "PASS" : "MISS"}`,
  ];
}
