import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "../storage/database.ts";
import { ConversationWrites, type WriteOp, type WriteOutcome } from "./conversation-writes.ts";
import { MIGRATIONS } from "./sqlite-conversation-migrations.ts";

/** The conversation database's writer thread: each message is a batch, answered once its transaction is committed. */
export type WriterData = { path: string; synchronous: "full" | "normal" };
export type WriterRequest = { id: number; batch: WriteOp[] } | { id: number; close: true };
export type WriterReply = { id: number; outcomes: WriteOutcome[] } | { id: number; closed: true };

const { path, synchronous } = workerData as WriterData;
const db = openDatabase(path, { migrations: MIGRATIONS, synchronous });
const writes = new ConversationWrites(db);

parentPort!.on("message", (request: WriterRequest) => {
  if ("close" in request) {
    db.close();
    parentPort!.postMessage({ id: request.id, closed: true } satisfies WriterReply);
    parentPort!.close();
    return;
  }
  parentPort!.postMessage({ id: request.id, outcomes: writes.apply(request.batch) } satisfies WriterReply);
});
