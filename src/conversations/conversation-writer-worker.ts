import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { openDatabase } from "../storage/database.ts";
import { ConversationWrites, type WriteOp, type WriteOutcome } from "./conversation-writes.ts";
import { MIGRATIONS } from "./sqlite-conversation-migrations.ts";

/**
 * The conversation database's writer thread. Each request is a batch of writes; when one arrives
 * the thread also takes every request already waiting on its port, commits them all in one
 * transaction (one fsync) and answers them in one reply once committed. It never waits for the
 * event loop between two commits: what arrived while one committed goes into the next at once.
 */
export type WriterData = { path: string; synchronous: "full" | "normal" };
export type WriterRequest = { id: number; batch: WriteOp[] } | { id: number; close: true };
export type WriterReply = { committed: { id: number; outcomes: WriteOutcome[] }[] } | { id: number; closed: true };

/** Requests taken into one commit at most (about a second's worth of writes at full load). */
const MAX_REQUESTS_PER_COMMIT = 256;

const { path, synchronous } = workerData as WriterData;
const db = openDatabase(path, { migrations: MIGRATIONS, synchronous });
const writes = new ConversationWrites(db);
const port = parentPort!;

port.on("message", (first: WriterRequest) => {
  const requests: { id: number; batch: WriteOp[] }[] = [];
  let close: { id: number } | null = null;
  for (let request: WriterRequest | undefined = first; request; ) {
    if ("close" in request) {
      close = request;
      break;
    }
    requests.push(request);
    if (requests.length >= MAX_REQUESTS_PER_COMMIT) break;
    request = (receiveMessageOnPort(port) as { message: WriterRequest } | undefined)?.message;
  }
  if (requests.length > 0) commit(requests);
  if (close) {
    db.close();
    port.postMessage({ id: close.id, closed: true } satisfies WriterReply);
    port.close();
  }
});

function commit(requests: { id: number; batch: WriteOp[] }[]): void {
  const outcomes = writes.apply(requests.flatMap((request) => request.batch));
  let offset = 0;
  const committed = requests.map(({ id, batch }) => {
    const slice = outcomes.slice(offset, offset + batch.length);
    offset += batch.length;
    return { id, outcomes: slice };
  });
  port.postMessage({ committed } satisfies WriterReply);
}
