import { writeFile } from "node:fs/promises";
import { join } from "node:path";

/** The file in a search worker's data folder whose presence makes crashing-search-worker's next search or turn end its thread. */
export const CRASH_FLAG = "crash-next-search-task";

/** Make the next search or bot turn taken by a crashing-search-worker thread over this data folder end that thread (once). */
export function crashNextTask(dataDir: string): Promise<void> {
  return writeFile(join(dataDir, CRASH_FLAG), "");
}
