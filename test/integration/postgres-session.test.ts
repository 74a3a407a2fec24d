import { afterEach, describe, expect, it } from "vitest";
import { isAppError } from "../../src/errors.ts";
import { Postgres } from "../../src/storage/postgres.ts";
import { createTestDatabase, postgresProblem } from "../support/services.ts";

/** A session's connection may be cut while it waits between queries (Postgres restarting, a proxy dropping it). */
describe.skipIf(postgresProblem !== null)(`a Postgres session whose connection is lost${postgresProblem ? ` (skipped: ${postgresProblem})` : ""}`, () => {
  let database: { url: string; drop(): Promise<void> } | undefined;
  let postgres: Postgres | undefined;
  afterEach(async () => {
    await postgres?.close();
    await database?.drop();
  });

  it("fails its next query with UNAVAILABLE instead of ending the process, and the pool serves again", async () => {
    database = await createTestDatabase();
    postgres = await Postgres.connect(database.url);
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", record);
    try {
      const outcome = await postgres
        .session(async (client) => {
          const [own] = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
          // Another connection ends this one while the session does other work.
          await postgres!.query("SELECT pg_terminate_backend($1)", [own!.pid]);
          await new Promise((resolve) => setTimeout(resolve, 200));
          return client.query("SELECT 1");
        })
        .then(
          () => "answered",
          (error: unknown) => error,
        );
      expect(isAppError(outcome, "UNAVAILABLE")).toBe(true);
      expect(uncaught).toEqual([]);
      expect(await postgres.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
    } finally {
      process.off("uncaughtException", record);
    }
  });
});
