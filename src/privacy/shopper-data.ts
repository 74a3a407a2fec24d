import { randomUUID } from "node:crypto";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { DeletionRecord, PrivacyStore } from "./privacy-store.ts";

/** Which shopper: one conversation, or every conversation with this email as contact or in a message. */
export type ShopperRef = { conversationId: string } | { email: string };

const RETENTION_BATCH = 500;
const DAY_MS = 86_400_000;
/** Ended agent sessions are kept this long when RETENTION_DAYS is 0. */
const DEFAULT_SESSION_DAYS = 30;

/**
 * A shopper's data on request (export, delete) and on a schedule (retention): conversations with
 * everything attached to them, and ended agent sessions. Each deletion is logged with who, when,
 * why and which conversation ids, never their content.
 */
export class ShopperData {
  readonly #store: PrivacyStore;
  readonly #sessions: { deleteEndedSessions(before: Date): Promise<number> };
  readonly #retentionDays: number;
  readonly #clock: () => Date;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: { store: PrivacyStore; sessions: { deleteEndedSessions(before: Date): Promise<number> }; retentionDays: number; logger: Logger; clock?: () => Date }) {
    this.#store = options.store;
    this.#sessions = options.sessions;
    this.#retentionDays = options.retentionDays;
    this.#logger = options.logger;
    this.#clock = options.clock ?? (() => new Date());
  }

  async export(ref: ShopperRef): Promise<{ exportedAt: string; conversations: Awaited<ReturnType<PrivacyStore["exportConversations"]>> }> {
    return { exportedAt: this.#clock().toISOString(), conversations: await this.#store.exportConversations(await this.#find(ref)) };
  }

  async delete(ref: ShopperRef, by: string): Promise<DeletionRecord> {
    const ids = await this.#find(ref);
    const deleted = await this.#store.deleteConversations(ids);
    return this.#record({ by, reason: "request", conversations: deleted, conversationIds: ids });
  }

  listDeletions(limit = 100): Promise<DeletionRecord[]> {
    return this.#store.listDeletions(limit);
  }

  /** One retention pass: conversations inactive for RETENTION_DAYS (when set), and old ended sessions. */
  async runRetention(): Promise<{ conversations: number; sessions: number }> {
    const now = this.#clock().getTime();
    let conversations = 0;
    if (this.#retentionDays > 0) {
      const before = new Date(now - this.#retentionDays * DAY_MS).toISOString();
      for (let ids = await this.#store.inactiveSince(before, RETENTION_BATCH); ids.length > 0; ids = await this.#store.inactiveSince(before, RETENTION_BATCH)) {
        const deleted = await this.#store.deleteConversations(ids);
        conversations += deleted;
        await this.#record({ by: "retention", reason: "retention", conversations: deleted, conversationIds: ids });
        if (deleted === 0) break;
      }
    }
    const sessions = await this.#sessions.deleteEndedSessions(new Date(now - (this.#retentionDays || DEFAULT_SESSION_DAYS) * DAY_MS));
    if (conversations > 0 || sessions > 0) this.#logger.info({ conversations, sessions, retentionDays: this.#retentionDays }, "retention deleted old data");
    return { conversations, sessions };
  }

  /** Run retention now and then every hour until close(). */
  schedule(intervalMs = 3_600_000): void {
    const run = () => void this.runRetention().catch((error: unknown) => this.#logger.error({ err: error }, "retention failed"));
    run();
    this.#timer = setInterval(run, intervalMs);
    this.#timer.unref();
  }

  close(): void {
    clearInterval(this.#timer);
  }

  async #find(ref: ShopperRef): Promise<string[]> {
    const ids = "conversationId" in ref ? await this.#store.existing([ref.conversationId]) : await this.#store.conversationsByEmail(ref.email);
    if (ids.length === 0) throw new AppError("NOT_FOUND", "No conversation matches.");
    return ids;
  }

  async #record(record: Omit<DeletionRecord, "id" | "at">): Promise<DeletionRecord> {
    const full = { id: randomUUID(), at: this.#clock().toISOString(), ...record };
    await this.#store.recordDeletion(full);
    return full;
  }
}
