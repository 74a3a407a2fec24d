import { BroadcastChannel } from "node:worker_threads";
import type pg from "pg";
import type { Logger } from "../logger.ts";
import type { Postgres } from "../storage/postgres.ts";
import type { MirrorProgress } from "./knowledge-mirror.ts";
import { KNOWLEDGE_CHANNEL } from "./pg-knowledge-store.ts";

export type FollowerStatus = {
  /** The version this server's search serves. */
  servedVersion: number;
  /** Whether a new version is announced at once (LISTEN); otherwise found by polling. */
  listening: boolean;
  /** Passages copied from Postgres so far while catching up (null when not copying). */
  copying: { done: number; total: number; version: number } | null;
};

/**
 * Keeps this server's search on the knowledge version published in Postgres, whichever server
 * published it: a LISTEN connection hears each new version at once; a poll every `pollMs` is the
 * fallback when that connection is lost (and reconnects it). Following is done by the knowledge
 * thread (`follow`), then the search workers are refreshed.
 */
export class KnowledgeFollower {
  readonly #postgres: Postgres;
  readonly #follow: () => Promise<{ version: number; changed: boolean }>;
  readonly #onChanged: () => Promise<void>;
  readonly #logger: Logger;
  readonly #pollMs: number;
  readonly #progress: BroadcastChannel | undefined;
  #listener: pg.PoolClient | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | null = null;
  #again = false;
  #closed = false;
  #status: FollowerStatus = { servedVersion: 0, listening: false, copying: null };

  constructor(options: {
    postgres: Postgres;
    follow: () => Promise<{ version: number; changed: boolean }>;
    onChanged: () => Promise<void>;
    logger: Logger;
    pollMs?: number;
    /** Where the knowledge thread posts its copying progress. */
    progressChannel?: string;
  }) {
    this.#postgres = options.postgres;
    this.#follow = options.follow;
    this.#onChanged = options.onChanged;
    this.#logger = options.logger;
    this.#pollMs = options.pollMs ?? 2_000;
    if (options.progressChannel) {
      this.#progress = new BroadcastChannel(options.progressChannel);
      this.#progress.unref();
      this.#progress.onmessage = (event) => {
        const progress = (event as { data: MirrorProgress }).data;
        this.#status = { ...this.#status, copying: progress.copying ? { done: progress.done, total: progress.total, version: progress.version } : null };
      };
    }
  }

  get status(): FollowerStatus {
    return this.#status;
  }

  /** Catch up once now, then follow. */
  async start(): Promise<void> {
    await this.#listen();
    await this.catchUp();
    this.#timer = setInterval(() => void this.#poll(), this.#pollMs);
    this.#timer.unref();
  }

  /** Bring search to the published version (calls during a round are folded into one more). */
  catchUp(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          const { version, changed } = await this.#follow();
          if (changed) await this.#onChanged();
          if (changed) this.#logger.info({ version }, "serving knowledge version");
          this.#status = { ...this.#status, servedVersion: version };
        } while (this.#again && !this.#closed);
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#progress?.close();
    this.#dropListener();
    await this.#running?.catch(() => undefined);
  }

  async #poll(): Promise<void> {
    if (this.#closed) return;
    try {
      if (!this.#listener) await this.#listen();
      const published = (await this.#postgres.query<{ version: number }>("SELECT version FROM knowledge_state"))[0]?.version ?? 0;
      if (published !== this.#status.servedVersion) await this.catchUp();
    } catch (error) {
      this.#logger.warn({ err: error }, "following the published knowledge failed; trying again");
    }
  }

  async #listen(): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.#postgres.connection();
    } catch (error) {
      this.#logger.warn({ err: error }, "cannot listen for knowledge versions; polling");
      return;
    }
    client.on("notification", () => void this.catchUp().catch((error: unknown) => this.#logger.warn({ err: error }, "following the published knowledge failed")));
    client.on("error", (error) => {
      this.#logger.warn({ err: error }, "knowledge listener lost; polling until it is back");
      this.#dropListener();
    });
    try {
      await client.query(`LISTEN ${KNOWLEDGE_CHANNEL}`);
    } catch (error) {
      client.release(true);
      this.#logger.warn({ err: error }, "cannot listen for knowledge versions; polling");
      return;
    }
    this.#listener = client;
    this.#status = { ...this.#status, listening: true };
  }

  #dropListener(): void {
    const client = this.#listener;
    this.#listener = undefined;
    this.#status = { ...this.#status, listening: false };
    if (client) {
      client.removeAllListeners("notification");
      client.on("error", () => undefined);
      client.release(true);
    }
  }
}
