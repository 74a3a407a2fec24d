import pg from "pg";
import { redactUrl } from "../config.ts";
import { AppError } from "../errors.ts";

export type Row = Record<string, unknown>;

/** Times come back as the ISO strings the stores use everywhere, counts (int8) as numbers. */
const TIMESTAMPTZ = 1184;
const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === TIMESTAMPTZ) return (value: string) => new Date(value).toISOString();
    if (oid === INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as "text");
  }) as typeof pg.types.getTypeParser,
};
export type Queryable = { query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]> };

/**
 * A pool of Postgres connections with the error translation every Postgres store shares: a lost
 * or refused connection becomes UNAVAILABLE (the caller is told, nothing is acknowledged), SQL
 * errors keep their SQLSTATE in `cause` for the store to interpret.
 */
export class Postgres implements Queryable {
  readonly #pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Connect and check the server answers; a bad URL or an unreachable server names DATABASE_URL. */
  static async connect(url: string, options: { max?: number; onError?: (error: Error) => void } = {}): Promise<Postgres> {
    const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000, types });
    // An idle connection that breaks is dropped by the pool; the next query opens a new one.
    pool.on("error", (error) => options.onError?.(error));
    try {
      await pool.query("SELECT 1");
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new AppError("CONFIG_INVALID", `DATABASE_URL: cannot use the database at ${redactUrl(url)}: ${(error as Error).message || String(error)}`, { cause: error });
    }
    return new Postgres(pool);
  }

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    try {
      return (await this.#pool.query<R>(sql, params as unknown[])).rows;
    } catch (error) {
      throw translate(error);
    }
  }

  /** Run fn in one transaction on one connection; rolled back if it throws. */
  async transaction<T>(fn: (client: Queryable) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw translate(error);
    }
    const queryable: Queryable = {
      query: async <R extends Row = Row>(sql: string, params: readonly unknown[] = []) => (await client.query<R>(sql, params as unknown[])).rows,
    };
    let broken = false;
    try {
      await client.query("BEGIN");
      const result = await fn(queryable);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => (broken = true));
      throw translate(error);
    } finally {
      client.release(broken);
    }
  }

  /**
   * Run fn on one dedicated connection (for work under a session-level advisory lock, with its own
   * BEGIN/COMMIT); errors are translated as query's are. After an error the connection is
   * discarded rather than returned to the pool: it may still be in a transaction or hold a lock.
   */
  async session<T>(fn: (client: Queryable) => Promise<T>): Promise<T> {
    const client = await this.connection();
    // A connection lost between queries is reported as an event, not to a query: without a listener
    // it would end the process. Kept here, it fails the session's next query.
    let lost: unknown;
    const onError = (error: unknown) => (lost ??= error);
    client.on("error", onError);
    const queryable: Queryable = {
      query: async <R extends Row = Row>(sql: string, params: readonly unknown[] = []) => {
        try {
          if (lost !== undefined) throw lost;
          return (await client.query<R>(sql, params as unknown[])).rows;
        } catch (error) {
          throw translate(error);
        }
      },
    };
    let broken = false;
    try {
      return await fn(queryable);
    } catch (error) {
      broken = true;
      throw translate(error);
    } finally {
      const discard = broken || lost !== undefined;
      client.removeListener("error", onError);
      if (discard) client.on("error", () => undefined);
      client.release(discard);
    }
  }

  /** A dedicated connection (for session-level advisory locks); release it when done. */
  async connection(): Promise<pg.PoolClient> {
    try {
      return await this.#pool.connect();
    } catch (error) {
      throw translate(error);
    }
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

/** The SQLSTATE of a Postgres error, if it is one. */
export function sqlState(error: unknown): string | undefined {
  const cause = error instanceof AppError ? error.cause : error;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Connection trouble (refused, reset, timed out, server shutting down) becomes UNAVAILABLE; anything else passes through. */
function translate(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const state = sqlState(error);
  const lost = state === undefined
    ? /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EPIPE|Connection terminated|timeout exceeded|Client has encountered a connection error|not queryable/i.test(String((error as Error)?.message ?? error) + String((error as { code?: string })?.code ?? ""))
    : state.startsWith("08") || state.startsWith("57P");
  return lost ? new AppError("UNAVAILABLE", "The database is unavailable right now. Nothing was saved; please try again shortly.", { cause: error }) : error;
}
