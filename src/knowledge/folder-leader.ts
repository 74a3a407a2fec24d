import type pg from "pg";
import type { Logger } from "../logger.ts";
import type { Postgres } from "../storage/postgres.ts";

/** Session advisory lock held by the one server that reads and watches KNOWLEDGE_DIR. */
const LEADER_LOCK = 0x6b666c64;

/**
 * Of the servers sharing one Postgres database, exactly one (the holder of a session advisory
 * lock) reads and watches the knowledge folder. The lock lives as long as the leader's
 * connection: a leader that dies or loses its connection frees it, and another server, trying
 * every `retryMs`, takes over and syncs the folder itself.
 */
export class FolderLeader {
  readonly #postgres: Postgres;
  readonly #onLead: () => Promise<void>;
  readonly #onLose: () => void;
  readonly #logger: Logger;
  readonly #retryMs: number;
  #client: pg.PoolClient | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: { postgres: Postgres; onLead: () => Promise<void>; onLose: () => void; logger: Logger; retryMs?: number }) {
    this.#postgres = options.postgres;
    this.#onLead = options.onLead;
    this.#onLose = options.onLose;
    this.#logger = options.logger;
    this.#retryMs = options.retryMs ?? 3_000;
  }

  get leading(): boolean {
    return this.#client !== undefined;
  }

  /** Try once now (resolves with whether this server leads), then keep trying in the background; onLead runs on each later win. */
  async start(): Promise<boolean> {
    const leading = await this.#try();
    this.#timer = setInterval(() => {
      if (this.#client || this.#closed) return;
      void this.#try().then(async (won) => {
        if (won) await this.#onLead().catch((error: unknown) => this.#logger.error({ err: error }, "knowledge folder sync failed"));
      });
    }, this.#retryMs);
    this.#timer.unref();
    return leading;
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#release();
  }

  async #try(): Promise<boolean> {
    let client: pg.PoolClient;
    try {
      client = await this.#postgres.connection();
    } catch {
      return false;
    }
    try {
      const won = (await client.query<{ won: boolean }>("SELECT pg_try_advisory_lock($1) AS won", [LEADER_LOCK])).rows[0]!.won;
      if (!won || this.#closed) {
        if (won) await client.query("SELECT pg_advisory_unlock($1)", [LEADER_LOCK]);
        client.release();
        return false;
      }
    } catch {
      client.release(true);
      return false;
    }
    client.on("error", (error) => {
      this.#logger.warn({ err: error }, "lost the knowledge folder lead (database connection lost)");
      this.#release();
      this.#onLose();
    });
    this.#client = client;
    this.#logger.info("this server reads and watches the knowledge folder");
    return true;
  }

  #release(): void {
    const client = this.#client;
    this.#client = undefined;
    if (client) {
      client.removeAllListeners("error");
      client.on("error", () => undefined);
      // Destroyed rather than returned to the pool: ending the session frees the lock.
      client.release(true);
    }
  }
}
