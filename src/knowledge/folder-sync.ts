import { watch, type FSWatcher } from "node:fs";
import type { Logger } from "../logger.ts";
import type { IngestReport, KnowledgeStore } from "./knowledge-store.ts";
import type { KnowledgeProblem } from "./source-document.ts";

/**
 * Keeps the knowledge base in step with the knowledge folder: a sync at start-up, then another
 * shortly after files change (changes arriving during a sync are picked up by the next one).
 */
export class FolderSync {
  readonly #knowledge: KnowledgeStore;
  readonly #directory: string;
  readonly #logger: Logger;
  readonly #debounceMs: number;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<IngestReport> | undefined;
  #again = false;
  /** Problems of the latest sync, for the admin to see. */
  problems: KnowledgeProblem[] = [];

  constructor(options: { knowledge: KnowledgeStore; directory: string; logger: Logger; debounceMs?: number }) {
    this.#knowledge = options.knowledge;
    this.#directory = options.directory;
    this.#logger = options.logger;
    this.#debounceMs = options.debounceMs ?? 300;
  }

  async syncNow(): Promise<IngestReport> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        // Read, parsed and published by the store (in its own thread), which logs rejected files.
        const report = await this.#knowledge.syncFolder(this.#directory);
        this.problems = report.problems;
        return report;
      } finally {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.#schedule();
        }
      }
    })();
    return this.#running;
  }

  /** Watch the folder (recursively) for changes. */
  watch(): void {
    this.#watcher = watch(this.#directory, { recursive: true }, () => this.#schedule());
    this.#watcher.on("error", (error) => this.#logger.warn({ err: error }, "knowledge folder watch failed"));
  }

  close(): void {
    this.#watcher?.close();
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.syncNow().catch((error: unknown) => this.#logger.error({ err: error }, "knowledge sync failed"));
    }, this.#debounceMs);
  }
}
