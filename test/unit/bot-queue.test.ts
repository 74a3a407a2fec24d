import { describe, expect, it } from "vitest";
import { BotQueue } from "../../src/conversations/bot-queue.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { LoopSlices } from "../../src/loop-slices.ts";
import { countLoopTurns } from "../support/loop-turns.ts";

/** Hold the thread for about `ms`, as a turn's first steps (reads, building its request) do. */
function work(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("the bot queue", () => {
  it("starts one turn per turn of the event loop, so I/O (a commit's acks) gets in between turns that start together", async () => {
    const loop = countLoopTurns();
    const startedIn: number[] = [];
    const done: Promise<void>[] = [];
    const queue = new BotQueue<number>({
      concurrency: 128,
      limit: 1000,
      longWaitMs: 60_000,
      run: async () => {
        startedIn.push(loop.turn);
        work(1);
        const finished = nextTurn();
        done.push(finished);
        await finished;
      },
      onLongWait: () => undefined,
      logger: createSilentLogger(),
    });
    try {
      // As the acks of one commit do: twenty conversations' turns asked in the same run of JavaScript.
      for (let key = 0; key < 20; key += 1) queue.push(`conversation-${key}`, key);
      while (startedIn.length < 20) await nextTurn();
      expect(new Set(startedIn).size).toBe(20);
      await Promise.all(done);
    } finally {
      loop.stop();
      await queue.close();
    }
  });

  it("takes turns with a sliced loop running meanwhile (one piece of work per turn of the event loop)", async () => {
    const loop = countLoopTurns();
    const turnsOfTurns: number[] = [];
    const turnsOfSlices = new Set<number>();
    const queue = new BotQueue<number>({
      concurrency: 128,
      limit: 1000,
      longWaitMs: 60_000,
      run: async () => void turnsOfTurns.push(loop.turn),
      onLongWait: () => undefined,
      logger: createSilentLogger(),
    });
    try {
      // A long loop (a publish's, say) that yields after every item, while twenty turns wait.
      const sliced = (async () => {
        const slices = new LoopSlices(0);
        for (let item = 0; item < 40; item += 1) {
          turnsOfSlices.add(loop.turn);
          await slices.pause();
        }
      })();
      for (let key = 0; key < 20; key += 1) queue.push(`conversation-${key}`, key);
      await sliced;
      while (turnsOfTurns.length < 20) await nextTurn();
      expect(turnsOfTurns.filter((turn) => turnsOfSlices.has(turn))).toEqual([]);
    } finally {
      loop.stop();
      await queue.close();
    }
  });

  it("runs every turn pushed, one at a time per conversation, oldest first, up to its concurrency at once", async () => {
    const order: string[] = [];
    let running = 0;
    let most = 0;
    const queue = new BotQueue<string>({
      concurrency: 3,
      limit: 1000,
      longWaitMs: 60_000,
      run: async (key, item) => {
        running += 1;
        most = Math.max(most, running);
        order.push(`${key}:${item}`);
        for (let step = 0; step < 3; step += 1) await nextTurn();
        running -= 1;
      },
      onLongWait: () => undefined,
      logger: createSilentLogger(),
    });
    for (let item = 0; item < 4; item += 1) for (const key of ["a", "b", "c", "d"]) queue.push(key, String(item));
    while (order.length < 16 || running > 0) await nextTurn();
    await queue.close();
    expect(most).toBe(3);
    for (const key of ["a", "b", "c", "d"]) expect(order.filter((entry) => entry.startsWith(`${key}:`))).toEqual([0, 1, 2, 3].map((item) => `${key}:${item}`));
    expect(queue.stats).toMatchObject({ waiting: 0, running: 0 });
  });
});
