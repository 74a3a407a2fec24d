import { getPriority, setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { AppError } from "../errors.ts";
import { openDatabase, transaction } from "./database.ts";
import type { SqliteWrites, WriteReply, WriteRequest, WriteThreadData } from "./sqlite-write-thread.ts";

/**
 * The thread side of SqliteWriteThread: opens the store's file (already migrated by the store) and
 * runs each write asked, in order, in a transaction of its own, answering once it is committed.
 */
export function serveSqliteWrites(writes: SqliteWrites, migrations: readonly string[]): void {
  const { path, synchronous, niceIncrement = 0 } = workerData as WriteThreadData;
  if (niceIncrement > 0) lowerThisThread(niceIncrement);
  const db = openDatabase(path, { migrations, synchronous });
  const port = parentPort!;
  port.on("message", (request: WriteRequest) => {
    if ("close" in request) {
      db.close();
      port.postMessage({ id: request.id, closed: true } satisfies WriteReply);
      port.close();
      return;
    }
    let reply: WriteReply;
    try {
      const write = writes[request.op] as ((...args: unknown[]) => unknown) | undefined;
      if (!write) throw new AppError("INTERNAL", `This store has no write ${request.op}.`);
      reply = { id: request.id, ok: transaction(db, () => write(db, ...request.args)) };
    } catch (error) {
      reply = { id: request.id, error: { code: error instanceof AppError ? error.code : null, message: error instanceof Error ? error.message : String(error) } };
    }
    port.postMessage(reply);
  });
}

/**
 * Lower this thread's CPU priority. On Linux pid 0 is the calling thread alone; elsewhere it would be
 * the whole process (the event loop too), so the thread keeps the process's priority there. A
 * priority that cannot be changed leaves the writes as they are.
 */
function lowerThisThread(increment: number): void {
  if (process.platform !== "linux") return;
  try {
    setPriority(0, Math.min(19, getPriority(0) + increment));
  } catch {
    // Writing at the process's priority is slower for acks, never wrong.
  }
}
