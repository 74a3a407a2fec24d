import { Worker } from "node:worker_threads";
import type { WriteOp, WriteResult } from "./conversation-writes.ts";
import { toWriteError } from "./conversation-writes.ts";
import { AppError } from "../errors.ts";
import type { WriterData, WriterReply, WriterRequest } from "./conversation-writer-worker.ts";

/** Thread deaths in a row (without a batch confirmed in between) after which writes fail instead. */
const MAX_RESTARTS = 3;

type Pending = { write: WriteOp; resolve: (value: WriteResult) => void; reject: (error: unknown) => void };

/**
 * Writes of the conversation database in a thread of their own, so the event loop never waits for
 * an fsync. Writes are group-committed: those arriving while a batch is being committed go
 * together in the next one (one transaction, one fsync), in the order they were asked; each promise
 * settles only after its batch's COMMIT. One batch is in flight at a time, so writes apply in order.
 * If the thread dies, the writes of the batch in flight fail (they may or may not have been
 * committed: a retry with the same clientId is a duplicate, never a second row); a new thread takes
 * the rest.
 */
export class ConversationWriter {
  readonly #data: WriterData;
  #worker: Worker;
  #pending: Pending[] = [];
  #inFlight: { id: number; batch: Pending[] } | null = null;
  #scheduled = false;
  #nextId = 1;
  #closing: Promise<void> | null = null;
  /** Thread deaths since the last confirmed batch; past MAX_RESTARTS the store stops trying and fails writes. */
  #crashes = 0;
  #broken: Error | null = null;
  readonly #onCrash: (error: unknown) => void;
  readonly #script: URL;

  /** script: the thread's module (conversation-writer-worker.ts; tests give one that can be made to die). */
  constructor(data: WriterData, options: { onCrash?: (error: unknown) => void; script?: URL } = {}) {
    this.#data = data;
    this.#onCrash = options.onCrash ?? (() => undefined);
    this.#script = options.script ?? new URL("./conversation-writer-worker.ts", import.meta.url);
    this.#worker = this.#start();
  }

  write(write: WriteOp): Promise<WriteResult> {
    if (this.#closing) return Promise.reject(new AppError("UNAVAILABLE", "The conversation store is closed."));
    if (this.#broken) return Promise.reject(this.#broken);
    return new Promise<WriteResult>((resolve, reject) => {
      this.#pending.push({ write, resolve, reject });
      this.#schedule();
    });
  }

  /** Commit what is waiting, then stop the thread. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      while (this.#inFlight || this.#pending.length > 0) await new Promise((resolve) => setImmediate(resolve));
      const worker = this.#worker;
      worker.ref();
      const id = this.#nextId++;
      await new Promise<void>((resolve) => {
        worker.once("exit", () => resolve());
        worker.on("message", (reply: WriterReply) => {
          if (reply.id === id) void worker.terminate();
        });
        worker.postMessage({ id, close: true } satisfies WriterRequest);
      });
    })();
    return this.#closing;
  }

  #start(): Worker {
    const worker = new Worker(this.#script, { workerData: this.#data });
    worker.on("message", (reply: WriterReply) => this.#settle(reply));
    worker.on("error", (error) => this.#crashed(worker, error));
    worker.on("exit", (code) => {
      if (!this.#closing) this.#crashed(worker, new Error(`the conversation writer thread exited (${code})`));
    });
    // Held open only while a batch is in flight: an idle writer never keeps the process alive.
    worker.unref();
    return worker;
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight) return;
    this.#scheduled = true;
    // The writes of this turn of the event loop go together.
    setImmediate(() => {
      this.#scheduled = false;
      this.#send();
    });
  }

  #send(): void {
    if (this.#inFlight || this.#pending.length === 0) return;
    const batch = this.#pending.splice(0);
    const id = this.#nextId++;
    this.#inFlight = { id, batch };
    this.#worker.ref();
    this.#worker.postMessage({ id, batch: batch.map((item) => item.write) } satisfies WriterRequest);
  }

  #settle(reply: WriterReply): void {
    if (!("outcomes" in reply) || this.#inFlight?.id !== reply.id) return;
    const { batch } = this.#inFlight;
    this.#inFlight = null;
    this.#crashes = 0;
    this.#worker.unref();
    batch.forEach((item, index) => {
      const outcome = reply.outcomes[index]!;
      if ("ok" in outcome) item.resolve(outcome.ok);
      else item.reject(toWriteError(outcome.error));
    });
    this.#send();
  }

  #crashed(worker: Worker, error: unknown): void {
    if (worker !== this.#worker) return;
    this.#onCrash(error);
    const lost = this.#inFlight?.batch ?? [];
    this.#inFlight = null;
    for (const item of lost) item.reject(new AppError("UNAVAILABLE", "The conversation writer thread stopped before confirming this write; send it again.", { cause: error }));
    this.#crashes += 1;
    if (this.#crashes > MAX_RESTARTS) {
      this.#broken = new AppError("UNAVAILABLE", "The conversation writer thread keeps failing.", { cause: error });
      for (const item of this.#pending.splice(0)) item.reject(this.#broken);
      return;
    }
    this.#worker = this.#start();
    this.#send();
  }
}
