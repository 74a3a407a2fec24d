import { Worker } from "node:worker_threads";
import { AppError } from "../errors.ts";
import type { Database } from "./database.ts";

/** A store's writes as the thread runs them: each gets the thread's connection, inside one transaction of its own. */
export type SqliteWrites = Record<string, (db: Database, ...args: never[]) => unknown>;
type WriteArgs<F> = F extends (db: Database, ...args: infer A) => unknown ? A : never;

/**
 * niceIncrement: how much lower than the event loop the thread runs (Linux sets nice per thread).
 * These stores' writes are background work (drafts after a publish, an agent's edit): when the
 * cores are busy, the event loop and the conversation writer (acks) run first.
 */
export type WriteThreadData = { path: string; synchronous: "full" | "normal"; niceIncrement?: number };
export type WriteRequest = { id: number; op: string; args: unknown[] } | { id: number; close: true };
/** An AppError crosses the thread boundary as its code and message (code null: any other error). */
export type WriteReply = { id: number; ok: unknown } | { id: number; error: { code: AppError["code"] | null; message: string } } | { id: number; closed: true };

/** Nice increment of background writer threads (the knowledge writer runs at the same). */
export const BACKGROUND_NICE = 15;

/** Thread deaths in a row (without a write confirmed in between) after which writes fail instead. */
const MAX_RESTARTS = 3;
/** A thread with nothing to write for this long stops; the next write starts another. */
const IDLE_MS = 2_000;

type Pending = { resolve: (value: unknown) => void; reject: (error: unknown) => void; request: WriteRequest };

/**
 * The writes of a small SQLite store, run in a thread of their own (serveSqliteWrites on the other
 * side), so the event loop never waits for a commit's fsync. Each write is one transaction there;
 * its promise settles once it is committed (or rolled back), so the store's reads on this thread's
 * connection see it from then on (WAL). Writes apply in the order they were asked. If the thread
 * dies, the writes it held fail with UNAVAILABLE (each may or may not have been committed) and a
 * new thread takes the next ones. These stores write now and then (drafts after a publish, an
 * agent's edit), so the thread starts with a write and stops after IDLE_MS without one: an idle
 * server does not keep a thread (and its heap) per store.
 */
export class SqliteWriteThread<W extends SqliteWrites> {
  readonly #script: URL;
  readonly #data: WriteThreadData;
  readonly #name: string;
  readonly #onCrash: (error: unknown) => void;
  readonly #idleMs: number;
  readonly #unconfirmed = new Map<number, Pending>();
  #worker: Worker | null = null;
  #idle: NodeJS.Timeout | undefined;
  /** Resolves when the current thread has exited (a crash or a close). */
  #exited: Promise<void> = Promise.resolve();
  #nextId = 1;
  #crashes = 0;
  #broken: AppError | null = null;
  #closing: Promise<void> | null = null;
  /** Called once no write is left unconfirmed (close waits on it). */
  #drained: (() => void)[] = [];

  /** script: the thread's module, which calls serveSqliteWrites with the same writes; name: the store, for errors. */
  constructor(script: URL, data: WriteThreadData, options: { name: string; onCrash?: (error: unknown) => void; idleMs?: number }) {
    this.#script = script;
    this.#data = data;
    this.#name = options.name;
    this.#onCrash = options.onCrash ?? (() => undefined);
    this.#idleMs = options.idleMs ?? IDLE_MS;
  }

  /** Whether a thread is running for this store now. */
  get running(): boolean {
    return this.#worker !== null;
  }

  write<K extends keyof W & string>(op: K, ...args: WriteArgs<W[K]>): Promise<Awaited<ReturnType<W[K]>>> {
    if (this.#closing) return Promise.reject(new AppError("UNAVAILABLE", `The ${this.#name} is closed.`));
    if (this.#broken) return Promise.reject(this.#broken);
    return new Promise((resolve, reject) => {
      const request: WriteRequest = { id: this.#nextId++, op, args };
      this.#unconfirmed.set(request.id, { resolve: resolve as (value: unknown) => void, reject, request });
      clearTimeout(this.#idle);
      const worker = (this.#worker ??= this.#start());
      worker.ref();
      worker.postMessage(request);
    });
  }

  /** Let the writes asked so far settle, then stop the thread (and wait for one stopping after idling). */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#unconfirmed.size > 0) await new Promise<void>((resolve) => this.#drained.push(resolve));
      clearTimeout(this.#idle);
      const worker = this.#worker;
      if (worker) {
        worker.ref();
        worker.postMessage({ id: this.#nextId++, close: true } satisfies WriteRequest);
      }
      await this.#exited;
    })();
    return this.#closing;
  }

  #start(): Worker {
    const worker = new Worker(this.#script, { workerData: this.#data });
    this.#exited = new Promise((resolve) => worker.once("exit", () => resolve()));
    worker.on("message", (reply: WriteReply) => this.#settle(reply));
    worker.on("error", (error) => this.#crashed(worker, error));
    worker.on("exit", (code) => {
      if (!this.#closing || this.#unconfirmed.size > 0) this.#crashed(worker, new Error(`the ${this.#name} writer thread exited (${code})`));
    });
    // Held open only while writes are unconfirmed: an idle writer never keeps the process alive.
    worker.unref();
    return worker;
  }

  #settle(reply: WriteReply): void {
    if ("closed" in reply) return;
    const pending = this.#unconfirmed.get(reply.id);
    if (!pending) return;
    this.#unconfirmed.delete(reply.id);
    this.#crashes = 0;
    if (this.#unconfirmed.size === 0) {
      this.#worker?.unref();
      this.#idle = setTimeout(() => this.#retire(), this.#idleMs).unref();
      this.#settledAll();
    }
    if ("ok" in reply) return pending.resolve(reply.ok);
    const { code, message } = reply.error;
    pending.reject(code ? new AppError(code, message) : new Error(message));
  }

  #settledAll(): void {
    for (const resolve of this.#drained.splice(0)) resolve();
  }

  /** Stop an idle thread; one that exits after this is no longer this store's (its exit is no crash). */
  #retire(): void {
    const worker = this.#worker;
    if (!worker || this.#closing || this.#unconfirmed.size > 0) return;
    this.#worker = null;
    worker.postMessage({ id: this.#nextId++, close: true } satisfies WriteRequest);
  }

  #crashed(worker: Worker, error: unknown): void {
    if (worker !== this.#worker) return;
    this.#onCrash(error);
    const lost = [...this.#unconfirmed.values()];
    this.#unconfirmed.clear();
    for (const pending of lost) pending.reject(new AppError("UNAVAILABLE", `The ${this.#name} writer thread stopped before confirming this write; it may or may not have been saved.`, { cause: error }));
    this.#settledAll();
    this.#crashes += 1;
    if (this.#crashes > MAX_RESTARTS) {
      this.#broken = new AppError("UNAVAILABLE", `The ${this.#name} writer thread keeps failing.`, { cause: error });
      return;
    }
    // The next write starts another.
    this.#worker = null;
  }
}
