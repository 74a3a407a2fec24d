import { parentPort } from "node:worker_threads";

/**
 * The real curation writer thread, except that a write adding a draft whose question is "die now"
 * ends the thread before anything of it is written (as a crash would).
 */
parentPort!.on("message", (request: { op?: string; args?: unknown[] }) => {
  if (request.op === "addDrafts" && (request.args?.[0] as { question: string }[]).some((draft) => draft.question === "die now")) process.exit(1);
});
await import("../../src/knowledge/curation-writer-worker.ts");
