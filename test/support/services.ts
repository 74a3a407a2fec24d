import pg from "pg";
import { createClient } from "redis";
import { createThrowawayDatabase } from "./throwaway-database.ts";

/**
 * The Postgres and Redis that scale-out tests use (loopback by default; CI starts them with
 * .ci/start-services). Each test database is created with a unique name and dropped after.
 */
export const ADMIN_DATABASE_URL = process.env.KEFU_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const TEST_REDIS_URL = process.env.KEFU_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

async function probePostgres(): Promise<string | null> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return `Postgres unreachable at ${ADMIN_DATABASE_URL} (${(error as Error).message}); start it with .ci/start-services`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function probeRedis(): Promise<string | null> {
  const client = createClient({ url: TEST_REDIS_URL, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    return `Redis unreachable at ${TEST_REDIS_URL} (${(error as Error).message}); start it with .ci/start-services`;
  } finally {
    if (client.isOpen) await client.close().catch(() => undefined);
  }
}

/** Why Postgres tests cannot run here, or null when they can. */
export const postgresProblem = await probePostgres();
/** Why Redis tests cannot run here, or null when they can. */
export const redisProblem = await probeRedis();

for (const problem of [postgresProblem, redisProblem]) if (problem) console.warn(`SKIPPING: ${problem}`);

/** A fresh, empty database; drop() removes it (connections included). */
export function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  return createThrowawayDatabase(ADMIN_DATABASE_URL);
}
