import { parentPort } from "node:worker_threads";

/**
 * The real conversation writer thread, except that a batch holding a message whose text is
 * "die now" ends the thread before anything of that batch is written (as a crash would).
 */
parentPort!.on("message", (request: { batch?: { op: string; body?: { text?: string } }[] }) => {
  if (request.batch?.some((write) => write.op === "append" && write.body?.text === "die now")) process.exit(1);
});
await import("../../src/conversations/conversation-writer-worker.ts");
