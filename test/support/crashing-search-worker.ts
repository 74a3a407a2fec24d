import { unlinkSync } from "node:fs";
import { join } from "node:path";
import { workerData } from "node:worker_threads";
import runSearchTask, { type SearchResult, type SearchTask } from "../../src/retrieval/search-worker.ts";
import { CRASH_FLAG } from "./crash-flag.ts";

const flag = join((workerData as { dataDir: string }).dataDir, CRASH_FLAG);

/**
 * The real search worker, except that while the crash flag file exists (crashNextTask), the first
 * search or bot turn to take it ends its thread at once, with the tasks it holds still in flight,
 * as a crash would (process.exit in a worker ends the thread). Unlike worker.terminate(), it never
 * stops the thread inside a native call of hnswlib-node, which node-addon-api turns into an abort
 * of the whole process.
 */
export default async function crashingSearchTask(task: SearchTask): Promise<SearchResult> {
  if ((task.kind === "retrieve" || task.kind === "turn") && taken()) process.exit(70);
  return runSearchTask(task);
}

function taken(): boolean {
  try {
    unlinkSync(flag);
    return true;
  } catch {
    return false;
  }
}
