import { Worker } from "node:worker_threads";
import type { WriteOp, WriteResult } from "./conversation-writes.ts";
import { toWriteError } from "./conversation-writes.ts";
import { AppError } from "../errors.ts";
import { inLaterTurn } from "../loop-slices.ts";
import type { WriterData, WriterReply, WriterRequest } from "./conversation-writer-worker.ts";

/** Thread deaths in a row (without a batch confirmed in between) after which writes fail instead. */
const MAX_RESTARTS = 3;

type Pending = { write: WriteOp; resolve: (value: WriteResult) => void; reject: (error: unknown) => void };

/**
 * Writes of the conversation database in a thread of their own, so the event loop never waits for
 * an fsync. The writes asked in one run of JavaScript (up to the next microtask checkpoint) go to
 * the thread as one request at once, whether or not a commit is under way; the thread commits every
 * request waiting for it in one transaction (one fsync) as soon as the previous commit ends, without
 * a round trip through this event loop in between. Writes apply in the order they were asked, and
 * each promise settles only after its transaction's COMMIT (those of the bot's answers one turn of the
 * event loop after the rest, see #confirm). If the thread dies, every write sent to
 * it and not yet confirmed fails (it may or may not have been committed: a retry with the same
 * clientId is a duplicate, never a second row); a new thread takes the rest.
 */
export class ConversationWriter {
  readonly #data: WriterData;
  #worker: Worker;
  /** Asked in this run of JavaScript, sent to the thread at the next microtask checkpoint. */
  #pending: Pending[] = [];
  /** Sent to the thread and not yet confirmed, by request id, oldest first. */
  readonly #unconfirmed = new Map<number, Pending[]>();
  #scheduled = false;
  /** Committed writes of the bot's answers (and what follows them in their conversation), woken on the next turn. */
  readonly #later: { conversation: string; settle: () => void }[] = [];
  /** Deferred wake-ups still waiting, per conversation. */
  readonly #laterConversations = new Map<string, number>();
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
      while (this.#unconfirmed.size > 0 || this.#pending.length > 0 || this.#later.length > 0) await new Promise((resolve) => setImmediate(resolve));
      const worker = this.#worker;
      worker.ref();
      const id = this.#nextId++;
      await new Promise<void>((resolve) => {
        worker.once("exit", () => resolve());
        worker.on("message", (reply: WriterReply) => {
          if ("closed" in reply && reply.id === id) void worker.terminate();
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
    // Held open only while writes are unconfirmed: an idle writer never keeps the process alive.
    worker.unref();
    return worker;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // The writes asked in this run of JavaScript go together; the thread picks them up at once.
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#send();
    });
  }

  #send(): void {
    if (this.#pending.length === 0) return;
    const batch = this.#pending.splice(0);
    const id = this.#nextId++;
    this.#unconfirmed.set(id, batch);
    this.#worker.ref();
    this.#worker.postMessage({ id, batch: batch.map((item) => item.write) } satisfies WriterRequest);
  }

  #settle(reply: WriterReply): void {
    if (!("committed" in reply)) return;
    for (const { id, outcomes } of reply.committed) {
      const batch = this.#unconfirmed.get(id);
      if (!batch) continue;
      this.#unconfirmed.delete(id);
      this.#crashes = 0;
      batch.forEach((item, index) => {
        const outcome = outcomes[index]!;
        this.#confirm(item.write, "ok" in outcome ? () => item.resolve(outcome.ok) : () => item.reject(toWriteError(outcome.error)));
      });
    }
    if (this.#unconfirmed.size === 0) this.#worker.unref();
  }

  /**
   * Wake the caller of a committed write. Those of the bot's answers (start and end) wake one turn of
   * the event loop later, so that what follows them (the next turn, its streaming) never runs ahead of
   * the acknowledgements committed with them; a conversation's later writes follow its deferred ones,
   * so each conversation still learns of its writes in seq order. The deferred ones wake one per turn
   * of the event loop: each goes on to show its answer, and the dozens of one commit, woken together,
   * held the loop while the next commit's acks waited.
   */
  #confirm(write: WriteOp, settle: () => void): void {
    const conversation = conversationOf(write);
    if (!isAnswerWrite(write) && !this.#laterConversations.has(conversation)) return settle();
    this.#laterConversations.set(conversation, (this.#laterConversations.get(conversation) ?? 0) + 1);
    if (this.#later.length === 0) inLaterTurn(() => this.#settleLater());
    this.#later.push({ conversation, settle });
  }

  #settleLater(): void {
    const next = this.#later.shift();
    if (!next) return;
    const left = this.#laterConversations.get(next.conversation)! - 1;
    if (left > 0) this.#laterConversations.set(next.conversation, left);
    else this.#laterConversations.delete(next.conversation);
    if (this.#later.length > 0) inLaterTurn(() => this.#settleLater());
    next.settle();
  }

  #crashed(worker: Worker, error: unknown): void {
    if (worker !== this.#worker) return;
    this.#onCrash(error);
    const lost = [...this.#unconfirmed.values()].flat();
    this.#unconfirmed.clear();
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

const isAnswerWrite = (write: WriteOp) => write.op === "append" && (write.body.type === "answer-start" || write.body.type === "answer-end");

function conversationOf(write: WriteOp): string {
  switch (write.op) {
    case "create":
      return write.input.id;
    case "context":
      return write.id;
    case "note":
      return write.note.conversationId;
    case "append":
    case "rate":
      return write.conversationId;
  }
}
