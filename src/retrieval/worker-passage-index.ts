import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { BroadcastChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { PassageIndex, Retrieval, RetrievalRequest } from "./passage-index.ts";
import type { SearchResult, SearchTask, SearchWorkerData } from "./search-worker.ts";
import { sendTurn, type CatalogDeliveries, type TurnOutcome, type TurnRequest, type TurnTaskResult, type TurnWorker } from "../conversations/turn-work.ts";

/**
 * Share of the index's entries that must have changed since its file was saved before a refresh
 * saves it again. Smaller updates are caught up from the published versions at the next start
 * (seconds at 100k passages), instead of writing and flushing the whole index file each time.
 */
const CHECKPOINT_SHARE = 0.05;

/**
 * PassageIndex served by a small pool of worker threads (piscina), each with its own read-only
 * SQLite connection and hnswlib index (search-worker.ts), so retrieval never runs on the event
 * loop. A worker that dies mid-search is replaced by the pool; the search is retried once on
 * another worker, and fails with SEARCH_UNAVAILABLE if that fails too. A bot turn's assessment of
 * its evidence and the shopping check run there too, with its retrieval (turn): the event loop only relays.
 */
export class WorkerPassageIndex implements PassageIndex, TurnWorker {
  readonly #pool: Piscina<SearchTask, SearchResult>;
  /** The shopping catalog on its way to a worker, by generation (see sendTurn). */
  readonly #deliveries: CatalogDeliveries = new Map();
  readonly #logger: Logger;
  readonly #retries: number;
  #crashes = 0;
  readonly #stopChannel = `kefu-search-${randomUUID()}`;

  /** script: the workers' module (search-worker.ts; tests give one whose threads can be made to crash). */
  constructor(options: { workerData: SearchWorkerData; threads: number; logger: Logger; retries?: number; script?: URL | undefined }) {
    this.#logger = options.logger;
    this.#retries = options.retries ?? 1;
    this.#pool = new Piscina({
      filename: fileURLToPath(options.script ?? new URL("./search-worker.ts", import.meta.url)),
      minThreads: options.threads,
      maxThreads: options.threads,
      idleTimeout: Number.POSITIVE_INFINITY,
      // Searches go on while a worker catches up with a new version in the background.
      concurrentTasksPerWorker: 8,
      // Workers keep their event loop running between tasks: catching up with a version goes on in the background.
      atomics: "disabled",
      // Answers wait for acks, never the other way: when the cores are busy, the event loop (accepting
      // and acknowledging messages) and the conversation writer run first, bot turns' CPU work next,
      // knowledge publishing (nice +15) last. Linux sets nice per thread. At +10 a search thread has
      // about a tenth of the event loop's CPU weight (at +5, a third): the loop picks up committed
      // acks sooner when both want a core.
      niceIncrement: 10,
      workerData: { ...options.workerData, stopChannel: this.#stopChannel },
      name: "default",
    });
    // A worker that dies with no task in flight is reported here (piscina replaces it); without a
    // listener the 'error' event would take the whole process down.
    this.#pool.on("error", (error: unknown) => this.#crashed(error, "idle"));
  }

  /** Worker threads that died since start (each one reported in the log). */
  get crashes(): number {
    return this.#crashes;
  }

  /** The pool's threads, for health reports. */
  get threads(): readonly { threadId: number; terminate(): Promise<number> }[] {
    return this.#pool.threads;
  }

  async retrieve(request: RetrievalRequest): Promise<Retrieval> {
    return (await this.#run({ kind: "retrieve", request })) as Retrieval;
  }

  /** A bot turn's shopping check, retrieval and assessment in one worker round trip (same retries and errors as retrieve). */
  turn(request: TurnRequest): Promise<TurnOutcome> {
    return sendTurn(request, async (task) => (await this.#run({ kind: "turn", task })) as TurnTaskResult, this.#deliveries);
  }

  /**
   * Have every worker catch up with the published version (so the next search does not pay for it),
   * and save the index once when enough of it changed since it was last saved (CHECKPOINT_SHARE).
   */
  async refresh(): Promise<void> {
    await Promise.all(Array.from({ length: this.#pool.maxThreads }, () => this.#run({ kind: "warm" })));
    await this.#run({ kind: "checkpoint", minChangedShare: CHECKPOINT_SHARE });
  }

  /** Stop the workers' background work (an hnswlib call must not be cut by termination), then end them. */
  async close(): Promise<void> {
    const channel = new BroadcastChannel(this.#stopChannel);
    const threads = this.#pool.threads.length;
    await new Promise<void>((resolve) => {
      let stopped = 0;
      const timer = setTimeout(resolve, 10_000);
      channel.onmessage = (event) => {
        if ((event as { data: unknown }).data === "stop") return;
        if (++stopped >= threads) (clearTimeout(timer), resolve());
      };
      if (threads === 0) (clearTimeout(timer), resolve());
      channel.postMessage("stop");
    });
    channel.close();
    await this.#pool.close();
  }

  async #run(task: SearchTask): Promise<SearchResult> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.#pool.run(task);
      } catch (error) {
        if (error instanceof AppError || !isWorkerDeath(error)) throw error instanceof AppError ? error : new AppError("SEARCH_UNAVAILABLE", "Search failed.", { cause: error });
        this.#crashed(error, task.kind);
        if (attempt >= this.#retries) throw new AppError("SEARCH_UNAVAILABLE", "Search is not available right now.", { cause: error, details: { attempts: attempt + 1 } });
      }
    }
  }

  #crashed(error: unknown, during: string): void {
    this.#crashes += 1;
    this.#logger.error({ err: error, during, crashes: this.#crashes }, "search worker died; the pool starts another");
  }
}

/** The errors piscina gives tasks whose worker exited or was terminated under them. */
function isWorkerDeath(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /worker exited|Terminating worker thread/i.test(message);
}
