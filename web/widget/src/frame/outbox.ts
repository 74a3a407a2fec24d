import type { FrameStorage } from "./frame-storage.ts";

/** slowed: the server asked this client to slow down; it is sent again when the server says it may be. */
export type OutgoingStatus = "queued" | "slowed" | "sending" | "sent" | "failed";
/** A message the shopper wrote that the server has not shown back yet. */
export type Outgoing = { clientId: string; text: string; status: OutgoingStatus; error: string | null };

/**
 * What the shopper wrote and the server has not shown back yet, in order, kept in the frame's
 * storage so a reload or a crash loses none of it. Each message keeps its clientId for ever, so a
 * retry can never be counted twice. Sent messages are not stored: the server has them.
 */
export class Outbox {
  readonly #storage: FrameStorage;
  #items: Outgoing[];

  constructor(storage: FrameStorage) {
    this.#storage = storage;
    this.#items = storage
      .getJson<{ clientId: string; text: string; error?: string | null }[]>("outbox", [])
      .filter((item) => typeof item?.clientId === "string" && typeof item.text === "string")
      .map((item) => ({ clientId: item.clientId, text: item.text, status: item.error ? "failed" : "queued", error: item.error ?? null }));
  }

  get size(): number {
    return this.#items.length;
  }

  /** A copy for the view. */
  snapshot(): Outgoing[] {
    return this.#items.map((item) => ({ ...item }));
  }

  add(text: string): void {
    this.#items.push({ clientId: newClientId(), text, status: "queued", error: null });
    this.save();
  }

  /** The next message to send, in order. */
  next(): Outgoing | undefined {
    return this.#items.find((item) => item.status === "queued" || item.status === "slowed");
  }

  /** A failed message goes back in the queue; false when there is no such failed message. */
  retry(clientId: string): boolean {
    const item = this.#items.find((candidate) => candidate.clientId === clientId);
    if (!item || item.status !== "failed") return false;
    item.status = "queued";
    item.error = null;
    this.save();
    return true;
  }

  fail(item: Outgoing, message: string): void {
    item.status = "failed";
    item.error = message;
    this.save();
  }

  /** The server acknowledged it: dropped when the conversation already shows it, else marked sent. */
  accepted(clientId: string, shown: boolean): boolean {
    const index = this.#items.findIndex((item) => item.clientId === clientId);
    if (index < 0) return false;
    if (shown) this.#items.splice(index, 1);
    else this.#items[index]!.status = "sent";
    this.save();
    return true;
  }

  /** The conversation shows it now. */
  remove(clientId: string): void {
    const index = this.#items.findIndex((item) => item.clientId === clientId);
    if (index < 0) return;
    this.#items.splice(index, 1);
    this.save();
  }

  /** The connection dropped: whatever was on its way is sent again (same clientId). */
  requeueSending(): void {
    for (const item of this.#items) if (item.status === "sending") item.status = "queued";
  }

  save(): void {
    const unsent = this.#items.filter((item) => item.status !== "sent").map(({ clientId, text, error }) => ({ clientId, text, error }));
    this.#storage.setJson("outbox", unsent.length > 0 ? unsent : null);
  }
}

function newClientId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // randomUUID needs a secure context; the frame may be served over plain http on a LAN.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
